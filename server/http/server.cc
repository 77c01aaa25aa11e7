#include "http/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "app/log.h"
#include "http/request.h"

namespace flk::server {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session;

// Bytes a connection reads at once: a typical request (headers and a signed PCS) in one call.
constexpr size_t kReadBuffer = 4096;

struct HttpServer::Impl {
  HttpOptions opt;
  RouteTable routes;
  Metrics& metrics;
  // Declared before the io_context so that sessions destroyed with its handlers can still count
  // themselves out.
  std::mutex conn_mu;
  size_t open = 0;             // connections accepted and not yet closed
  bool accept_paused = false;  // at the cap: the next close resumes accepting
  std::atomic<bool> draining{false};
  net::io_context ioc;
  // The acceptor, its back-off timer and the accept-error log live on one strand.
  net::strand<net::io_context::executor_type> accept_strand{net::make_strand(ioc)};
  tcp::acceptor acceptor{accept_strand};
  net::steady_timer backoff{accept_strand};
  int backoff_ms = 0;
  uint64_t errors_unlogged = 0;
  std::chrono::steady_clock::time_point last_error_log{};
  // Requests wait for the WAL and the store on other threads with no socket operation pending;
  // the guard keeps the threads running until drain() stops them.
  net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<size_t> in_flight{0};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;
  size_t since_sweep = 0;

  Impl(HttpOptions o, std::vector<Route> r, Metrics& m)
      : opt(std::move(o)), routes(std::move(r)), metrics(m), ioc(std::max(1, opt.threads)) {}
  void accept();
  void accept_failed(const beast::error_code& ec);
  void connection_closed();
  void track(const std::shared_ptr<Session>& s);
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& srv)
      : stream_(std::move(socket)), srv_(srv), deadline_(stream_.get_executor()) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string();
    // Beast reads max(512, free capacity) at a time: without room for a whole request up front,
    // a 1 KB submit took two recvmsg calls, every time.
    buf_.reserve(kReadBuffer);
  }
  ~Session() { srv_.connection_closed(); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // From drain(): close the connection unless a request is being served.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->counted_ && !self->started()) self->close();
    });
  }

 private:
  void read_header() {
    if (srv_.draining) return close();
    parser_.emplace();
    apply_limits(*parser_, srv_.opt.max_body);
    arm_deadline();
    bhttp::async_read_header(stream_, buf_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  // A whole request must arrive within read_timeout. The timer cancels the read (rather than
  // closing the socket, as tcp_stream's own expiry would) so the client can still be told 408.
  void arm_deadline() {
    timed_out_ = false;
    deadline_.expires_after(srv_.opt.read_timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
  }

  bool started() const { return buf_.size() > 0 || (parser_ && parser_->got_some()); }

  // In flight from the first header byte until the response is written, so a drain waits for it.
  void begin() {
    if (!counted_) srv_.in_flight++;
    counted_ = true;
  }
  void end() {
    if (counted_) srv_.in_flight--;
    counted_ = false;
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    begin();
    auto& req = parser_->get();
    if (auto len = parser_->content_length(); len && *len > srv_.opt.max_body)
      return fail(413, "too_large", "the body is larger than " + std::to_string(srv_.opt.max_body) + " bytes");
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, req.version());
      return bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, size_t) {
        if (e) {
          self->end();
          return self->close();
        }
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buf_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->on_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (timed_out_) {
      // A client that sent part of a request and stalled hears why; an idle keep-alive one is just closed.
      if (started()) return fail(408, "timeout", "the request took too long to arrive");
      end();
      return close();
    }
    deadline_.cancel();
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::error::operation_aborted || ec == net::error::bad_descriptor) {
      end();
      return close();
    }
    if (ec == bhttp::error::body_limit)
      return fail(413, "too_large", "the body is larger than " + std::to_string(srv_.opt.max_body) + " bytes");
    if (ec == bhttp::error::header_limit) return fail(431, "too_large", "the request headers are too large");
    fail(400, "bad_request", "malformed HTTP request: " + ec.message());
  }

  // Protocol-level failures: answer and close.
  void fail(int status, const char* code, const std::string& message) {
    Response r = error_response(status, code, message);
    route_ = "-";
    method_ = "-";
    start_ = std::chrono::steady_clock::now();
    begin();
    write(std::move(r), /*keep_alive=*/false);
  }

  void on_request() {
    deadline_.cancel();
    RequestMessage msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    Request req = to_request(std::move(msg));
    req.peer = peer_;
    req.received = start_ = std::chrono::steady_clock::now();
    std::string allow;
    const CompiledRoute* found = srv_.routes.find(req, &allow);
    method_ = req.method;
    if (!found) {
      route_ = allow.empty() ? "unmatched" : "method_not_allowed";
      Response r = allow.empty() ? error_response(404, "not_found", "no route " + req.path)
                                 : error_response(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
      if (!allow.empty()) r.headers.emplace_back("Allow", allow);
      return write(std::move(r), keep_alive_);
    }
    route_ = found->pattern;
    auto self = shared_from_this();
    found->handler(req, [self](Response r) {
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->write(std::move(r), self->keep_alive_); });
    });
  }

  void write(Response r, bool keep_alive) {
    res_.emplace(static_cast<bhttp::status>(r.status), 11);
    res_->set(bhttp::field::content_type, r.content_type);
    for (auto& h : r.headers) res_->set(h.first, h.second);
    res_->body() = std::move(r.body);
    res_->keep_alive(keep_alive && !srv_.draining);
    // An idle connection is closed after read_timeout; saying so stops clients (undici keeps
    // sockets 4 s by default) from reusing one the server is about to close.
    if (res_->keep_alive()) res_->set(bhttp::field::keep_alive, "timeout=" + std::to_string(srv_.opt.read_timeout.count()));
    res_->prepare_payload();
    status_ = r.status;
    stream_.expires_after(srv_.opt.read_timeout);  // a client that does not read its answer
    bhttp::async_write(stream_, *res_, [self = shared_from_this()](beast::error_code ec, size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    srv_.metrics.request(route_, method_, status_, secs);
    if (srv_.opt.access_log) {
      json::Value f = json::Value::object();
      f.set("route", route_).set("method", method_).set("status", status_).set("seconds", secs);
      log(LogLevel::info, "request", f);
    }
    const bool keep = !ec && res_->keep_alive();
    stream_.expires_never();
    end();
    if (ec) return close();
    if (!keep) return linger_close();
    read_header();
  }

  // Closing a socket with unread request bytes in it makes the kernel send RST, which can destroy
  // the answer just written before the client reads it (a 413 while the client is still sending
  // its oversize body). So stop sending, then read and discard until the client closes, for at
  // most read_timeout.
  void linger_close() {
    deadline_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(srv_.opt.read_timeout);
    discard();
  }
  void discard() {
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->discard();
    });
  }

  void close() {
    deadline_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buf_;
  HttpServer::Impl& srv_;
  std::optional<RequestParser> parser_;
  std::optional<bhttp::response<bhttp::string_body>> res_;
  std::array<char, 16384> discard_;
  net::steady_timer deadline_;
  bool timed_out_ = false;
  bool counted_ = false;
  bool keep_alive_ = true;
  int status_ = 0;
  std::string route_, method_, peer_;
  std::chrono::steady_clock::time_point start_;
};

void HttpServer::Impl::track(const std::shared_ptr<Session>& s) {
  std::lock_guard<std::mutex> l(sessions_mu);
  if (++since_sweep >= 1024) {
    sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
    since_sweep = 0;
  }
  sessions.push_back(s);
}

size_t default_max_connections(uint64_t nofile_limit) {
  const uint64_t n = std::min<uint64_t>(nofile_limit, 1u << 24);
  const uint64_t reserve = std::max<uint64_t>(32, n / 4);
  return n > reserve ? static_cast<size_t>(n - reserve) : 1;
}

// Runs on accept_strand.
void HttpServer::Impl::accept() {
  {
    std::lock_guard<std::mutex> l(conn_mu);
    if (open >= opt.max_connections) {
      accept_paused = true;
      metrics.accept_paused.inc();
      return;
    }
  }
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) return accept_failed(ec);
    backoff_ms = 0;
    socket.set_option(tcp::no_delay(true), ec);
    {
      std::lock_guard<std::mutex> l(conn_mu);
      ++open;
    }
    auto s = std::make_shared<Session>(std::move(socket), *this);
    track(s);
    s->start();
    accept();
  });
}

// Out of descriptors (EMFILE, ENFILE) or kernel memory, the pending connection stays queued and
// accepting again at once fails again: wait (10 ms doubling to 1 s), and say so at most every 10 s.
void HttpServer::Impl::accept_failed(const beast::error_code& ec) {
  metrics.accept_errors.inc();
  ++errors_unlogged;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_error_log >= std::chrono::seconds(10)) {
    size_t conns;
    {
      std::lock_guard<std::mutex> l(conn_mu);
      conns = open;
    }
    log(LogLevel::warn, "accept failed; backing off",
        json::Value::object()
            .set("error", ec.message())
            .set("errors", static_cast<int64_t>(errors_unlogged))
            .set("connections", static_cast<int64_t>(conns))
            .set("max_connections", static_cast<int64_t>(opt.max_connections)));
    errors_unlogged = 0;
    last_error_log = now;
  }
  backoff_ms = std::min(1000, backoff_ms > 0 ? backoff_ms * 2 : 10);
  backoff.expires_after(std::chrono::milliseconds(backoff_ms));
  backoff.async_wait([this](beast::error_code e) {
    if (!e && acceptor.is_open()) accept();
  });
}

void HttpServer::Impl::connection_closed() {
  bool resume = false;
  {
    std::lock_guard<std::mutex> l(conn_mu);
    --open;
    if (accept_paused && !draining) {
      accept_paused = false;
      resume = true;
    }
  }
  if (resume) net::post(accept_strand, [this] {
      if (acceptor.is_open()) accept();
    });
}

HttpServer::HttpServer(HttpOptions options, std::vector<Route> routes, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes), metrics)) {
  if (impl_->opt.max_connections == 0) {
    rlimit rl{};
    impl_->opt.max_connections = default_max_connections(getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024);
  }
}

HttpServer::~HttpServer() {
  if (!impl_->threads.empty()) drain(std::chrono::seconds(0));
}

Result<uint16_t> HttpServer::start() {
  beast::error_code ec;
  auto addr = net::ip::make_address(impl_->opt.host, ec);
  if (ec) return make_error("bad_config", "cannot parse listen address " + impl_->opt.host);
  tcp::endpoint ep(addr, impl_->opt.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return make_error("listen_failed", "cannot listen on " + impl_->opt.host + ":" + std::to_string(impl_->opt.port) + ": " + ec.message());
  const uint16_t port = a.local_endpoint().port();
  net::post(impl_->accept_strand, [this] { impl_->accept(); });
  for (int i = 0; i < std::max(1, impl_->opt.threads); ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  return port;
}

size_t HttpServer::drain(std::chrono::seconds timeout) {
  impl_->draining = true;
  net::post(impl_->accept_strand, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->backoff.cancel();
  });
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard<std::mutex> l(impl_->sessions_mu);
      for (auto& w : impl_->sessions)
        if (auto s = w.lock()) s->close_if_idle();
    }
    if (impl_->in_flight == 0 || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const size_t left = impl_->in_flight;
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  return left;
}

size_t HttpServer::in_flight() const { return impl_->in_flight; }
size_t HttpServer::connections() const {
  std::lock_guard<std::mutex> l(impl_->conn_mu);
  return impl_->open;
}
size_t HttpServer::max_connections() const { return impl_->opt.max_connections; }
void HttpServer::post(std::function<void()> f) { net::post(impl_->ioc, std::move(f)); }
bool HttpServer::draining() const { return impl_->draining; }

}  // namespace flk::server
