#include "siem/client.h"

#include <httplib.h>

namespace flk::server {

Result<SiemEndpoint> parse_siem_url(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return make_error("bad_config", "siem-url must start with http:// or https://, got \"" + url + "\"");
  const size_t path_at = url.find('/', scheme_end + 3);
  SiemEndpoint e;
  e.origin = url.substr(0, path_at);
  e.path = path_at == std::string::npos ? "/" : url.substr(path_at);
  if (e.origin.size() == scheme_end + 3) return make_error("bad_config", "siem-url has no host: \"" + url + "\"");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return make_error("bad_config", "siem-url holds a space or control character");
  return e;
}

SiemClient::SiemClient(const SiemEndpoint& endpoint, const std::string& ca_file, int timeout_s)
    : endpoint_(endpoint), client_(std::make_unique<httplib::Client>(endpoint.origin)) {
  client_->set_connection_timeout(timeout_s, 0);
  client_->set_read_timeout(timeout_s, 0);
  client_->set_write_timeout(timeout_s, 0);
  client_->set_keep_alive(true);
  client_->set_follow_location(false);
  client_->enable_server_certificate_verification(true);
  if (!ca_file.empty()) client_->set_ca_cert_path(ca_file);
}

SiemClient::~SiemClient() = default;

SiemClient::Answer SiemClient::post(const SiemBody& body, const std::string& authorization) {
  httplib::Headers headers;
  if (!authorization.empty()) headers.emplace("Authorization", authorization);
  auto res = client_->Post(endpoint_.path, headers, body.text, body.content_type);
  Answer a;
  if (!res) {
    a.error = httplib::to_string(res.error());
    return a;
  }
  a.status = res->status;
  if (a.status < 200 || a.status > 299) a.error = res->body.substr(0, 200);
  return a;
}

}  // namespace flk::server
