// The inbound WAL: record encoding and checksums, group commit from many threads, rotation and
// retirement of released segments, and recovery that stops at a torn tail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "test_stores.h"
#include "wal/wal.h"

namespace flk::server {
namespace {

using testing::TempDir;

size_t segment_files(const std::string& dir) {
  auto c = read_segments(dir);
  return c.ok() ? c->files.size() : 0;
}

TEST(WalRecord, RoundTripsAndRejectsAnyFlippedByte) {
  WalRecord r{42, 1, 1700000000123, "acme", "sig==", std::string("{\"a\":1}\n\0x", 10)};
  std::string buf;
  encode_record(r, buf);
  size_t size = 0;
  auto back = decode_record(buf, &size);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(size, buf.size());
  EXPECT_EQ(back->seq, 42u);
  EXPECT_EQ(back->kind, 1);
  EXPECT_EQ(back->received_ms, 1700000000123);
  EXPECT_EQ(back->tenant, "acme");
  EXPECT_EQ(back->auth, "sig==");
  EXPECT_EQ(back->body, r.body);
  for (size_t i = 0; i < buf.size(); ++i) {
    std::string bad = buf;
    bad[i] ^= 0x20;
    EXPECT_FALSE(decode_record(bad, &size).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(decode_record(std::string_view(buf).substr(0, buf.size() - 1), &size).has_value());
  EXPECT_FALSE(decode_record(std::string(64, '\0'), &size).has_value());
}

TEST(Wal, ConcurrentAppendsAreDurableOnceAndInOrderOfSeq) {
  TempDir dir;
  std::set<uint64_t> acked;
  {
    auto w = Wal::open({dir.path, 1u << 20, true}, WalContents{}, [] { return true; });
    ASSERT_TRUE(w.ok());
    std::mutex mu;
    std::vector<std::thread> ts;
    std::atomic<int> done{0};
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i)
          w.value()->append(1, i, "t" + std::to_string(t), "", "body " + std::to_string(i), [&](bool ok, WalTicket k) {
            EXPECT_TRUE(ok);
            std::lock_guard<std::mutex> l(mu);
            acked.insert(k.seq);
            ++done;
          });
      });
    for (auto& t : ts) t.join();
    while (done < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_LT(w.value()->stats().syncs, 1000u) << "group commit shares syncs";
    // Not released: a crash here must keep every record.
    w.value().release();  // leak on purpose: no clean stop, as after SIGKILL
  }
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->records.size(), 1000u);
  std::set<uint64_t> seen;
  for (size_t i = 0; i < c->records.size(); ++i) {
    seen.insert(c->records[i].seq);
    if (i) EXPECT_GT(c->records[i].seq, c->records[i - 1].seq);
  }
  EXPECT_EQ(seen, acked);
}

TEST(Wal, ReleasedSegmentsAreDeletedAfterACheckpointOthersStay) {
  TempDir dir;
  std::atomic<int> checkpoints{0};
  auto w = Wal::open({dir.path, 4096, true}, WalContents{}, [&] {
    ++checkpoints;
    return true;
  });
  ASSERT_TRUE(w.ok());
  std::vector<std::promise<WalTicket>> acks(60);
  for (int i = 0; i < 60; ++i)
    w.value()->append(1, i, "acme", "", std::string(200, 'x'), [&, i](bool ok, WalTicket t) {
      EXPECT_TRUE(ok);
      acks[i].set_value(t);
    });
  std::vector<WalTicket> tickets;
  for (auto& a : acks) tickets.push_back(a.get_future().get());
  const size_t before = segment_files(dir.path);
  EXPECT_GE(before, 3u) << "60 records of ~230 bytes span several 4 KiB segments";
  // Release every record but the very first: closed segments go, the first one stays.
  for (size_t i = 1; i < tickets.size(); ++i) w.value()->release(tickets[i]);
  std::promise<WalTicket> nudged;
  w.value()->append(1, 0, "acme", "", "nudge", [&](bool, WalTicket t) { nudged.set_value(t); });
  const WalTicket nudge = nudged.get_future().get();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->records.front().seq, tickets[0].seq) << "the first segment still holds an unreleased record";
  EXPECT_EQ(c->files.size(), 2u) << "the first segment and the open one";
  EXPECT_GE(checkpoints.load(), 1);
  w.value()->release(tickets[0]);
  w.value()->release(nudge);
  w.value()->stop();
  EXPECT_EQ(segment_files(dir.path), 0u) << "a clean stop retires every released segment";
}

TEST(Wal, RecoveryStopsAtATornTailAndNumbersOn) {
  TempDir dir;
  {
    auto w = Wal::open({dir.path, 1u << 16, true}, WalContents{}, [] { return false; });
    ASSERT_TRUE(w.ok());
    std::promise<void> last;
    for (int i = 0; i < 10; ++i)
      w.value()->append(1, i, "acme", "", "record " + std::to_string(i), [&, i](bool, WalTicket) {
        if (i == 9) last.set_value();
      });
    last.get_future().wait();
    w.value()->stop();  // the checkpoint hook says no, so the segment stays
  }
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->records.size(), 10u);
  // Tear the last record: flip a byte inside its body.
  std::fstream f(c->files.back(), std::ios::in | std::ios::out | std::ios::binary);
  size_t end = 0;
  for (auto& r : c->records) {
    std::string b;
    encode_record(r, b);
    end += b.size();
  }
  f.seekp(static_cast<std::streamoff>(end - 2));
  f.put('#');
  f.close();
  auto torn = read_segments(dir.path);
  ASSERT_TRUE(torn.ok());
  EXPECT_EQ(torn->records.size(), 9u);
  auto w = Wal::open({dir.path, 1u << 16, true}, torn.value(), [] { return true; });
  ASSERT_TRUE(w.ok());
  std::promise<WalTicket> t;
  w.value()->append(1, 0, "acme", "", "after restart", [&](bool, WalTicket k) { t.set_value(k); });
  EXPECT_EQ(t.get_future().get().seq, 10u);
}

TEST(Wal, ARecordLargerThanASegmentFailsAlone) {
  TempDir dir;
  auto w = Wal::open({dir.path, 4096, false}, WalContents{}, [] { return true; });
  ASSERT_TRUE(w.ok());
  std::promise<bool> big, small;
  w.value()->append(1, 0, "acme", "", std::string(5000, 'x'), [&](bool ok, WalTicket) { big.set_value(ok); });
  w.value()->append(1, 0, "acme", "", "fits", [&](bool ok, WalTicket) { small.set_value(ok); });
  EXPECT_FALSE(big.get_future().get());
  EXPECT_TRUE(small.get_future().get());
}

}  // namespace
}  // namespace flk::server
