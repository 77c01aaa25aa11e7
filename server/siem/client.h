// The HTTP(S) client of the SIEM shipper, on Debian's cpp-httplib (built with OpenSSL): one
// keep-alive connection to the receiver, reopened after a failure. https verifies the receiver's
// certificate against the system's CA store or a given PEM file; redirects are not followed.
#pragma once
#include <memory>
#include <string>

#include "siem/body.h"
#include "util/result.h"

namespace httplib {
class Client;
}

namespace flk::server {

struct SiemEndpoint {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "/" when the URL has none; the query is kept
};

// http:// or https:// URLs only.
Result<SiemEndpoint> parse_siem_url(const std::string& url);

class SiemClient {
 public:
  // ca_file: a PEM bundle for https ("" : the system's store); timeout_s bounds connecting,
  // sending and reading each.
  SiemClient(const SiemEndpoint& endpoint, const std::string& ca_file, int timeout_s);
  ~SiemClient();
  struct Answer {
    int status = 0;     // 0: no HTTP answer (error says why)
    std::string error;  // the transport error, or the start of an error answer's body
  };
  // authorization: the Authorization header ("" for none).
  Answer post(const SiemBody& body, const std::string& authorization);

 private:
  SiemEndpoint endpoint_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace flk::server
