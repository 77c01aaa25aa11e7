-- wrk script for scripts/bench-server.sh: every request posts the next pre-signed PCS (one JSON
-- document per line of the bodies file), so each request is a new submission, never a
-- duplicate. Each wrk thread takes every n-th line. Arguments: BODIES_FILE THREADS TENANT.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(args[2])
  bodies = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % n == id then bodies[#bodies + 1] = line end
    i = i + 1
  end
  next_body = 0
  wrk.method = "POST"
  wrk.path = "/v1/pcs/submit"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Tenant-Id"] = args[3]
end

function request()
  next_body = next_body + 1
  if next_body > #bodies then next_body = 1 end
  return wrk.format(nil, nil, nil, bodies[next_body])
end
