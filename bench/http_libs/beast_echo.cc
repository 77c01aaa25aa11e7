// The same handler on Boost.Beast 1.74 (async, two threads on one io_context: the model
// server/http/server.cc uses), for scripts/bench-http-libs.sh.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Session : std::enable_shared_from_this<Session> {
  beast::tcp_stream stream;
  beast::flat_buffer buf;
  http::request<http::string_body> req;
  http::response<http::string_body> res;
  explicit Session(tcp::socket&& s) : stream(std::move(s)) {}
  void read() {
    req = {};
    http::async_read(stream, buf, req, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec) self->answer();
    });
  }
  void answer() {
    res = {http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = "{\"ok\":true,\"n\":" + std::to_string(req.body().size()) + "}";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    http::async_write(stream, res, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec && self->res.keep_alive()) self->read();
    });
  }
};

void accept(tcp::acceptor& a) {
  a.async_accept(net::make_strand(a.get_executor()), [&a](beast::error_code ec, tcp::socket s) {
    if (!ec) {
      s.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(s))->read();
    }
    accept(a);
  });
}

int main(int argc, char** argv) {
  const unsigned short port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 18082);
  net::io_context io(2);
  tcp::acceptor a(io, {net::ip::make_address("127.0.0.1"), port});
  accept(a);
  std::thread t([&] { io.run(); });
  io.run();
  t.join();
}
