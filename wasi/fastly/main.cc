// The edge gate as a Fastly Compute program: a wasm32-wasi command that Fastly runs once per
// request. It reads the client request through Fastly's hostcalls (hostcalls.h), answers it with
// edge::route (the same routes and bytes as the Cloudflare Worker) and sends the response.
// Command interface, for tests and for trying it without a Fastly host (settings from the
// environment variables FLK_BANDS, FLK_GATE_POLICY, FLK_PCS_KEY, FLK_OPEN_OPS and FLK_GATE_KEY instead of Fastly's
// stores; AUTHORIZATION is the Authorization header's value, if the client sent one):
//   flk-fastly.wasm handle METHOD PATH [AUTHORIZATION] < body
//                                    prints the HTTP status, a newline, the JSON body
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "hostcalls.h"
#include "routes.h"

namespace {

using namespace flk::fastly;

// Reads up to kMaxBodyBytes + 1 bytes with `read`; more means the body is too large.
template <typename ReadFn>
flk::edge::Request read_body(std::string& body, ReadFn read) {
  flk::edge::Request req;
  std::vector<uint8_t> chunk(65536);  // on the heap: wasm stacks are small (64 KiB by default)
  for (;;) {
    size_t n = read(chunk.data(), chunk.size());
    if (n == 0) break;
    body.append(reinterpret_cast<char*>(chunk.data()), n);
    if (body.size() > flk::edge::kMaxBodyBytes) {
      req.body_too_large = true;
      break;
    }
  }
  req.body = body;
  return req;
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::optional<std::string>(v) : std::nullopt;
}

int handle_command(const char* method, const char* path, const char* authorization) {
  std::string body;
  flk::edge::Request req = read_body(body, [](uint8_t* buf, size_t len) { return std::fread(buf, 1, len, stdin); });
  req.method = method;
  req.path = flk::edge::uri_path(path);
  if (authorization) req.authorization = authorization;
  flk::edge::Config config;
  config.bands = env("FLK_BANDS").value_or("");
  config.gate_policy = env("FLK_GATE_POLICY").value_or("");
  config.pcs_key = env("FLK_PCS_KEY").value_or("");
  config.open_ops = env("FLK_OPEN_OPS");
  config.gate_key = env("FLK_GATE_KEY");
  flk::Engine engine;
  flk::edge::Reply reply = flk::edge::route(engine, req, config);
  std::printf("%d\n%s\n", reply.status, reply.body.c_str());
  return 0;
}

// A hostcall that fills a buffer (method_get, uri_get, config and secret reads) into a string,
// growing the buffer once when the host says it is too small. nullopt when the call fails.
template <typename Get>
std::optional<std::string> read_text(Get get) {
  std::string s(1024, '\0');
  size_t n = 0;
  Status st = get(&s[0], s.size(), &n);
  if (st == kBufLen && n > s.size()) {
    s.resize(n);
    st = get(&s[0], s.size(), &n);
  }
  if (st != kOk) return std::nullopt;
  s.resize(n);
  return s;
}

// FLK_BANDS, FLK_GATE_POLICY and FLK_OPEN_OPS from the config store "flk_config" (keys "bands",
// "gate_policy", "open_ops"),
// FLK_PCS_KEY and FLK_GATE_KEY from the secret store "flk_secrets" (keys "pcs_key", "gate_key");
// a missing store or key leaves the setting unset.
flk::edge::Config fastly_config() {
  flk::edge::Config c;
  Handle config = 0, secrets = 0;
  const std::string kConfig = "flk_config", kSecrets = "flk_secrets";
  const bool has_config = fastly_config_store_open(kConfig.data(), kConfig.size(), &config) == kOk;
  const bool has_secrets = fastly_secret_store_open(kSecrets.data(), kSecrets.size(), &secrets) == kOk;
  auto setting = [&](const std::string& key) -> std::optional<std::string> {
    if (!has_config) return std::nullopt;
    return read_text(
        [&](char* b, size_t len, size_t* n) { return fastly_config_store_get(config, key.data(), key.size(), b, len, n); });
  };
  auto secret = [&](const std::string& key) -> std::optional<std::string> {
    Handle h = 0;
    if (!has_secrets || fastly_secret_store_get(secrets, key.data(), key.size(), &h) != kOk) return std::nullopt;
    return read_text([&](char* b, size_t len, size_t* n) { return fastly_secret_plaintext(h, b, len, n); });
  };
  c.bands = setting("bands").value_or("");
  c.gate_policy = setting("gate_policy").value_or("");
  c.open_ops = setting("open_ops");
  c.pcs_key = secret("pcs_key").value_or("");
  c.gate_key = secret("gate_key");
  return c;
}

int fail(const char* step, Status st) {
  std::fprintf(stderr, "flk-fastly: hostcall %s failed with status %d\n", step, static_cast<int>(st));
  return 1;
}

int serve() {
  Status st;
  if ((st = fastly_abi_init(1)) != kOk) return fail("fastly_abi.init", st);
  Handle req = 0, req_body = 0;
  if ((st = fastly_req_body_downstream_get(&req, &req_body)) != kOk) return fail("body_downstream_get", st);
  std::string method = read_text([&](char* b, size_t len, size_t* n) { return fastly_req_method_get(req, b, len, n); })
                           .value_or("");
  std::string uri =
      read_text([&](char* b, size_t len, size_t* n) { return fastly_req_uri_get(req, b, len, n); }).value_or("");
  const std::string kAuthorization = "authorization";
  std::optional<std::string> authorization = read_text([&](char* b, size_t len, size_t* n) {
    return fastly_req_header_value_get(req, kAuthorization.data(), kAuthorization.size(), b, len, n);
  });
  std::string body;
  Status read_st = kOk;
  flk::edge::Request in = read_body(body, [&](uint8_t* buf, size_t len) -> size_t {
    size_t n = 0;
    if (read_st == kOk) read_st = fastly_body_read(req_body, buf, len, &n);
    return read_st == kOk ? n : 0;
  });
  if (read_st != kOk) return fail("fastly_http_body.read", read_st);
  in.method = method;
  in.path = flk::edge::uri_path(uri);
  if (authorization) in.authorization = *authorization;
  flk::Engine engine;
  flk::edge::Reply reply = flk::edge::route(engine, in, fastly_config());

  Handle resp = 0, out = 0;
  if ((st = fastly_resp_new(&resp)) != kOk) return fail("fastly_http_resp.new", st);
  if ((st = fastly_resp_status_set(resp, static_cast<uint32_t>(reply.status))) != kOk) return fail("status_set", st);
  const char kName[] = "content-type", kValue[] = "application/json";
  if ((st = fastly_resp_header_insert(resp, kName, std::strlen(kName), kValue, std::strlen(kValue))) != kOk)
    return fail("header_insert", st);
  const char kChallenge[] = "www-authenticate", kBearer[] = "Bearer";
  if (reply.status == 401 &&
      (st = fastly_resp_header_insert(resp, kChallenge, std::strlen(kChallenge), kBearer, std::strlen(kBearer))) != kOk)
    return fail("header_insert", st);
  if ((st = fastly_body_new(&out)) != kOk) return fail("fastly_http_body.new", st);
  const auto* p = reinterpret_cast<const uint8_t*>(reply.body.data());
  for (size_t left = reply.body.size(); left > 0;) {
    size_t n = 0;
    if ((st = fastly_body_write(out, p, left, kBodyBack, &n)) != kOk || n == 0) return fail("fastly_http_body.write", st);
    p += n;
    left -= n;
  }
  if ((st = fastly_resp_send_downstream(resp, out, 0)) != kOk) return fail("send_downstream", st);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if ((argc == 4 || argc == 5) && std::strcmp(argv[1], "handle") == 0)
    return handle_command(argv[2], argv[3], argc == 5 ? argv[4] : nullptr);
  if (argc > 1) {
    std::fputs(
        "usage: flk-fastly.wasm handle METHOD PATH [AUTHORIZATION] < body (or run it under Fastly Compute with no "
        "arguments)\n",
        stderr);
    return 1;
  }
  return serve();
}
