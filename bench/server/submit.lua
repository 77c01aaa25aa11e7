-- wrk script for scripts/bench-server.sh: every request posts the next line of a bodies file,
-- so each request is a new submission, never a duplicate. A line is a JSON body, or
-- "<X-Flk-Signature>\t<body>" for usage events. Each wrk thread takes every n-th line.
-- Arguments: BODIES_FILE THREADS TENANT PATH.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(args[2])
  bodies, sigs = {}, {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % n == id then
      local tab = line:find("\t", 1, true)
      if tab then
        sigs[#bodies + 1] = line:sub(1, tab - 1)
        line = line:sub(tab + 1)
      end
      bodies[#bodies + 1] = line
    end
    i = i + 1
  end
  next_body = 0
  path = args[4]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Tenant-Id"] = args[3]
end

function request()
  next_body = next_body + 1
  if next_body > #bodies then next_body = 1 end
  local headers = nil
  if sigs[next_body] then
    -- wrk.format uses the given headers instead of wrk.headers, so copy those in
    headers = { ["X-Flk-Signature"] = sigs[next_body] }
    for k, v in pairs(wrk.headers) do headers[k] = v end
  end
  return wrk.format(nil, path, headers, bodies[next_body])
end
