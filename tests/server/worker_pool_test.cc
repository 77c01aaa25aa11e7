// Worker pools (issue 12): a full pool refuses at once with 503 + Retry-After and counts it, and
// the I/O thread keeps answering while a pool runs a long task.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <string>

#include "app/worker_pool.h"
#include "http/server.h"

namespace flk::server {
namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

double rejected(const Metrics& m, const std::string& pool) {
  auto v = m.worker_rejected.values();
  auto it = v.find({pool});
  return it == v.end() ? 0 : it->second;
}

TEST(WorkerPool, HoldsThreadsPlusQueueThenRefuses) {
  Metrics m;
  WorkerPool pool("compute", 1, 1, m);
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_submit([&] {
    started.set_value();
    open.wait();
    ++ran;
  }));
  started.get_future().wait();
  ASSERT_TRUE(pool.try_submit([&] { ++ran; }));  // waits for the thread
  EXPECT_EQ(pool.depth(), 1u);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(rejected(m, "compute"), 1);
  gate.set_value();
  pool.stop();
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(pool.depth(), 0u);
  EXPECT_FALSE(pool.try_submit([] {}));  // stopped
}

TEST(WorkerPool, ATaskThatHasAnsweredNoLongerHoldsItsSlot) {
  Metrics m;
  WorkerPool pool("compute", 1, 0, m);
  std::promise<void> gate, answered;
  std::shared_future<void> open = gate.get_future().share();
  Handler h = on_pool(pool, [&](Request&, Reply reply) {
    reply(Response{});
    answered.set_value();
    open.wait();  // still running after its answer
  });
  Request req;
  h(req, [](Response) {});
  answered.get_future().wait();
  EXPECT_EQ(pool.busy(), 1u);
  EXPECT_TRUE(pool.try_submit([] {}));  // the answered task's slot is free
  EXPECT_FALSE(pool.try_submit([] {}));
  gate.set_value();
  pool.stop();
}

struct Answer {
  int status = 0;
  std::string retry_after, body;
};

Answer get(uint16_t port, const std::string& target) {
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(s, req);
  boost::beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  return Answer{static_cast<int>(res.result_int()), std::string(res[bhttp::field::retry_after]), res.body()};
}

TEST(WorkerPool, TheIoThreadAnswersWhileAPoolComputesAndAFullPoolAnswers503) {
  Metrics m;
  WorkerPool pool("compute", 1, 0, m);
  std::promise<void> gate, started;
  std::shared_future<void> open = gate.get_future().share();
  std::vector<Route> routes = {
      {"GET", "/healthz", [](Request&, Reply reply) { reply(Response{200, "{}"}); }},
      {"GET", "/slow", on_pool(pool, [&](Request& req, Reply reply) {
         started.set_value();
         open.wait();  // a long compute
         reply(Response{200, req.path});
       })},
  };
  HttpOptions o;
  o.port = 0;
  o.threads = 1;  // one I/O thread: if the compute ran on it, /healthz would wait
  HttpServer http(o, routes, m);
  auto port = http.start();
  ASSERT_TRUE(port.ok());
  auto slow = std::async(std::launch::async, [&] { return get(*port, "/slow"); });
  started.get_future().wait();
  auto health = std::async(std::launch::async, [&] { return get(*port, "/healthz"); });
  const bool answered = health.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "/healthz waited for the compute";
  if (answered) EXPECT_EQ(health.get().status, 200);
  // The pool's one thread is busy and it may queue nothing: refused at once.
  auto full = std::async(std::launch::async, [&] { return get(*port, "/slow"); });
  ASSERT_EQ(full.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Answer refused = full.get();
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.retry_after, "1");
  EXPECT_NE(refused.body.find("\"overloaded\""), std::string::npos) << refused.body;
  EXPECT_EQ(rejected(m, "compute"), 1);
  gate.set_value();
  Answer done = slow.get();
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(done.body, "/slow");
  if (!answered) health.wait();
  http.drain(std::chrono::seconds(5));
  pool.stop();
}

}  // namespace
}  // namespace flk::server
