// The edge gate as a Fastly Compute program: a wasm32-wasi command that Fastly runs once per
// request. It reads the client request through Fastly's hostcalls (hostcalls.h), answers it with
// edge::route (the same routes and bytes as the Cloudflare Worker) and sends the response.
// Command interface, for tests and for trying it without a Fastly host (settings from the
// environment variables FLK_BANDS and FLK_PCS_KEY instead of Fastly's stores):
//   flk-fastly.wasm handle METHOD PATH < body     prints the HTTP status, a newline, the JSON body
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

int handle_command(const char* method, const char* path) {
  std::string body;
  flk::edge::Request req = read_body(body, [](uint8_t* buf, size_t len) { return std::fread(buf, 1, len, stdin); });
  req.method = method;
  req.path = flk::edge::uri_path(path);
  flk::edge::Config config;
  if (const char* v = std::getenv("FLK_BANDS")) config.bands = v;
  if (const char* v = std::getenv("FLK_PCS_KEY")) config.pcs_key = v;
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

// FLK_BANDS from the config store "flk_config" (key "bands"), FLK_PCS_KEY from the secret store
// "flk_secrets" (key "pcs_key"); a missing store or key leaves the setting empty.
flk::edge::Config fastly_config() {
  flk::edge::Config c;
  Handle store = 0, secret = 0;
  const std::string kConfig = "flk_config", kBands = "bands", kSecrets = "flk_secrets", kKey = "pcs_key";
  if (fastly_config_store_open(kConfig.data(), kConfig.size(), &store) == kOk)
    c.bands = read_text([&](char* b, size_t len, size_t* n) {
                return fastly_config_store_get(store, kBands.data(), kBands.size(), b, len, n);
              }).value_or("");
  if (fastly_secret_store_open(kSecrets.data(), kSecrets.size(), &store) == kOk &&
      fastly_secret_store_get(store, kKey.data(), kKey.size(), &secret) == kOk)
    c.pcs_key = read_text([&](char* b, size_t len, size_t* n) { return fastly_secret_plaintext(secret, b, len, n); })
                    .value_or("");
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
  flk::Engine engine;
  flk::edge::Reply reply = flk::edge::route(engine, in, fastly_config());

  Handle resp = 0, out = 0;
  if ((st = fastly_resp_new(&resp)) != kOk) return fail("fastly_http_resp.new", st);
  if ((st = fastly_resp_status_set(resp, static_cast<uint32_t>(reply.status))) != kOk) return fail("status_set", st);
  const char kName[] = "content-type", kValue[] = "application/json";
  if ((st = fastly_resp_header_insert(resp, kName, std::strlen(kName), kValue, std::strlen(kValue))) != kOk)
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
  if (argc == 4 && std::strcmp(argv[1], "handle") == 0) return handle_command(argv[2], argv[3]);
  if (argc > 1) {
    std::fputs("usage: flk-fastly.wasm handle METHOD PATH < body (or run it under Fastly Compute with no arguments)\n",
               stderr);
    return 1;
  }
  return serve();
}
