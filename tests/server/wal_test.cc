// The inbound WAL: record encoding and checksums, group commit from many threads, rotation and
// retirement of released segments, recovery that stops at a torn tail and resyncs after damage
// in the middle (reported, the segment kept in quarantine/), the size cap, and SIGKILL during
// group commit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

// The records of bodies in dir, in one segment that stays (the checkpoint hook says no).
WalContents write_kept(const std::string& dir, const std::vector<std::string>& bodies) {
  {
    auto w = Wal::open({dir, 1u << 16, false}, WalContents{}, [] { return false; });
    EXPECT_TRUE(w.ok());
    std::promise<void> last;
    for (size_t i = 0; i < bodies.size(); ++i)
      w.value()->append(1, static_cast<int64_t>(i), "acme", "", bodies[i], [&, i](WalResult r, WalTicket) {
        EXPECT_EQ(r, WalResult::ok);
        if (i + 1 == bodies.size()) last.set_value();
      });
    last.get_future().wait();
    w.value()->stop();
  }
  auto c = read_segments(dir);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c->files.size(), 1u);
  return c.value();
}

// The tickets of n records of 200 bytes, appended at once and all acknowledged.
std::vector<WalTicket> append_many(Wal& w, int n) {
  std::vector<std::promise<WalTicket>> acks(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    w.append(1, i, "acme", "", std::string(200, 'x'), [&acks, i](WalResult r, WalTicket t) {
      EXPECT_EQ(r, WalResult::ok);
      acks[static_cast<size_t>(i)].set_value(t);
    });
  std::vector<WalTicket> out;
  for (auto& a : acks) out.push_back(a.get_future().get());
  return out;
}

std::vector<std::string> numbered(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("{\"record\":" + std::to_string(i) + "}");
  return out;
}

// Where each record starts in its segment (all in one).
std::vector<size_t> offsets_of(const std::vector<WalRecord>& records) {
  std::vector<size_t> out;
  std::string buf;
  for (const WalRecord& r : records) {
    out.push_back(buf.size());
    encode_record(r, buf);
  }
  out.push_back(buf.size());
  return out;
}

void overwrite(const std::string& file, size_t at, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(at));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint64_t> seqs_of(const WalContents& c) {
  std::vector<uint64_t> out;
  for (const WalRecord& r : c.records) out.push_back(r.seq);
  return out;
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
          w.value()->append(1, i, "t" + std::to_string(t), "", "body " + std::to_string(i), [&](WalResult r, WalTicket k) {
            EXPECT_EQ(r, WalResult::ok);
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
  const std::vector<WalTicket> tickets = append_many(*w.value(), 60);
  const size_t before = segment_files(dir.path);
  EXPECT_GE(before, 3u) << "60 records of ~230 bytes span several 4 KiB segments";
  // Release every record but the very first: closed segments go, the first one stays.
  for (size_t i = 1; i < tickets.size(); ++i) w.value()->release(tickets[i]);
  std::promise<WalTicket> nudged;
  w.value()->append(1, 0, "acme", "", "nudge", [&](WalResult, WalTicket t) { nudged.set_value(t); });
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
      w.value()->append(1, i, "acme", "", "record " + std::to_string(i), [&, i](WalResult, WalTicket) {
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
  ASSERT_EQ(torn->damage.size(), 1u);
  EXPECT_TRUE(torn->damage[0].tail) << "nothing valid follows the torn record";
  auto w = Wal::open({dir.path, 1u << 16, true}, torn.value(), [] { return true; });
  ASSERT_TRUE(w.ok());
  std::promise<WalTicket> t;
  w.value()->append(1, 0, "acme", "", "after restart", [&](WalResult, WalTicket k) { t.set_value(k); });
  EXPECT_EQ(t.get_future().get().seq, 10u);
}

TEST(Wal, ARecordLargerThanASegmentFailsAlone) {
  TempDir dir;
  auto w = Wal::open({dir.path, 4096, false}, WalContents{}, [] { return true; });
  ASSERT_TRUE(w.ok());
  std::promise<bool> big, small;
  w.value()->append(1, 0, "acme", "", std::string(5000, 'x'), [&](WalResult r, WalTicket) { big.set_value(r == WalResult::ok); });
  w.value()->append(1, 0, "acme", "", "fits", [&](WalResult r, WalTicket) { small.set_value(r == WalResult::ok); });
  EXPECT_FALSE(big.get_future().get());
  EXPECT_TRUE(small.get_future().get());
}

TEST(WalRecovery, ACorruptByteMidSegmentIsReportedTheRecordsAfterItRecoveredTheSegmentKeptAside) {
  TempDir dir;
  const WalContents clean = write_kept(dir.path, numbered(20));
  const std::vector<size_t> at = offsets_of(clean.records);
  overwrite(clean.files[0], at[10] + kWalHeaderBytes + 3, "#");
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  std::vector<uint64_t> want;
  for (uint64_t s = 1; s <= 20; ++s)
    if (s != 11) want.push_back(s);
  EXPECT_EQ(seqs_of(c.value()), want) << "only the damaged record is lost";
  ASSERT_EQ(c->damage.size(), 1u);
  EXPECT_EQ(c->damage[0].file, clean.files[0]);
  EXPECT_EQ(c->damage[0].offset, at[10]);
  EXPECT_EQ(c->damage[0].bytes, at[11] - at[10]);
  EXPECT_FALSE(c->damage[0].tail);
  EXPECT_NE(describe(c->damage[0]).find("at byte " + std::to_string(at[10])), std::string::npos);

  auto moved = retire_replayed(dir.path, c.value());
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(moved->size(), 1u);
  EXPECT_EQ(moved->front(), dir.path + "/quarantine/" + clean.files[0].substr(clean.files[0].rfind('/') + 1));
  EXPECT_EQ(segment_files(dir.path), 0u) << "nothing is replayed twice";
  auto kept = read_segments(dir.path + "/quarantine");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->records.size(), 19u) << "the damaged segment is kept whole for inspection";
}

TEST(WalRecovery, AGarbledLengthIsSkippedByScanningForTheNextRecord) {
  TempDir dir;
  const WalContents clean = write_kept(dir.path, numbered(12));
  const std::vector<size_t> at = offsets_of(clean.records);
  overwrite(clean.files[0], at[5] + 4, std::string("\x00\xff\xff\x7f", 4));
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->records.size(), 11u);
  EXPECT_EQ(c->records[5].seq, 7u);
  ASSERT_EQ(c->damage.size(), 1u);
  EXPECT_EQ(c->damage[0].offset, at[5]);
  EXPECT_FALSE(c->damage[0].tail);
}

TEST(WalRecovery, ARecordInsideADamagedBodyIsNotTakenForTheLogs) {
  TempDir dir;
  std::string inner;
  encode_record(WalRecord{999, 1, 0, "victim", "", "{}"}, inner);
  std::vector<std::string> bodies = numbered(6);
  bodies[2] = inner + "tail";
  const WalContents clean = write_kept(dir.path, bodies);
  const std::vector<size_t> at = offsets_of(clean.records);
  overwrite(clean.files[0], at[3] - 1, "#");  // the last byte of the body that holds a record
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(seqs_of(c.value()), (std::vector<uint64_t>{1, 2, 4, 5, 6}));
}

TEST(WalRecovery, AnUnreadableSegmentFailsTheReadAndIsNamed) {
  TempDir dir;
  ASSERT_EQ(mkdir((dir.path + "/wal-0000000000000001.log").c_str(), 0755), 0);
  auto c = read_segments(dir.path);
  ASSERT_FALSE(c.ok()) << "a segment that cannot be read is not an empty one";
  EXPECT_NE(c.error().message.find("wal-0000000000000001.log"), std::string::npos) << c.error().message;
}

TEST(WalRecovery, QuarantinedRecordsAreASegmentThatReadsBack) {
  TempDir dir;
  std::vector<WalRecord> rs = {WalRecord{7, 1, 5, "acme", "", "{\"a\":1}"}, WalRecord{9, 2, 6, "beta", "sig", "[]"}};
  auto a = quarantine_records(dir.path, "wal-0000000000000001.log", rs);
  auto b = quarantine_records(dir.path, "wal-0000000000000001.log", rs);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value(), b.value()) << "a second quarantine of the same name does not replace the first";
  auto back = read_segments(dir.path + "/quarantine");
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->records.size(), 2u);
  EXPECT_EQ(back->records[1].auth, "sig");
}

TEST(WalCap, AppendsAreRefusedAtTheCapUntilReleasedSegmentsRetire) {
  TempDir dir;
  auto w = Wal::open({dir.path, 4096, false, 2 * 4096}, WalContents{}, [] { return true; });
  ASSERT_TRUE(w.ok());
  auto append = [&] {
    std::promise<std::pair<WalResult, WalTicket>> p;
    w.value()->append(1, 0, "acme", "", std::string(200, 'x'), [&](WalResult r, WalTicket t) { p.set_value({r, t}); });
    return p.get_future().get();
  };
  std::vector<WalTicket> held;
  for (int i = 0; i < 100; ++i) {
    auto [r, t] = append();
    if (r == WalResult::full) break;
    ASSERT_EQ(r, WalResult::ok);
    held.push_back(t);
  }
  ASSERT_LT(held.size(), 100u) << "two 4 KiB segments hold fewer than 100 records of 230 bytes";
  EXPECT_GE(held.size(), 30u);
  EXPECT_EQ(append().first, WalResult::full) << "refused at once while at the cap";
  EXPECT_EQ(w.value()->stats().live_bytes, 2u * 4096);
  for (const WalTicket& t : held) w.value()->release(t);
  for (int i = 0; i < 200 && w.value()->stats().segments_deleted == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(append().first, WalResult::ok) << "a retired segment makes room";
  EXPECT_GE(w.value()->stats().full_rejections, 2u);
}

TEST(WalCap, AFailingCheckpointIsRetriedLaterNotInALoop) {
  TempDir dir;
  std::atomic<int> checkpoints{0};
  auto w = Wal::open({dir.path, 4096, false}, WalContents{}, [&] {
    ++checkpoints;
    return false;
  });
  ASSERT_TRUE(w.ok());
  for (const WalTicket& t : append_many(*w.value(), 40)) w.value()->release(t);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_GE(checkpoints.load(), 1);
  EXPECT_LE(checkpoints.load(), 3) << "one try, then one a second";
}

// A child process appends from 16 threads and reports each acknowledged seq on a pipe; it is
// killed with SIGKILL mid-stream. Every acknowledged record must be read back.
TEST(WalCrash, SigkillDuringGroupCommitLosesNoAcknowledgedRecord) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto w = Wal::open({dir.path, 1u << 16, true}, WalContents{}, [] { return true; });
    if (!w.ok()) _exit(2);
    std::vector<std::thread> ts;
    for (int t = 0; t < 16; ++t)
      ts.emplace_back([&] {
        for (int i = 0;; ++i) {
          std::promise<void> acked;  // one request in flight per thread, as a client waits for its answer
          w.value()->append(1, i, "acme", "", std::string(100 + i % 300, 'y'), [&](WalResult r, WalTicket k) {
            if (r == WalResult::ok && write(fds[1], &k.seq, sizeof k.seq) != sizeof k.seq) _exit(3);
            acked.set_value();
          });
          acked.get_future().wait();
        }
      });
    for (;;) pause();
  }
  close(fds[1]);
  std::set<uint64_t> acked;
  uint64_t seq = 0;
  while (acked.size() < 2000 && read(fds[0], &seq, sizeof seq) == sizeof seq) acked.insert(seq);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  while (read(fds[0], &seq, sizeof seq) == sizeof seq) acked.insert(seq);
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(acked.size(), 2000u);
  auto c = read_segments(dir.path);
  ASSERT_TRUE(c.ok());
  // A write cut short by the kill (never acknowledged) may leave a torn tail, nothing else.
  for (const WalDamage& d : c->damage) EXPECT_TRUE(d.tail && d.file == c->files.back()) << describe(d);
  const std::vector<uint64_t> seqs = seqs_of(c.value());
  const std::set<uint64_t> found(seqs.begin(), seqs.end());
  for (uint64_t s : acked) ASSERT_TRUE(found.count(s)) << "acknowledged seq " << s << " lost";
  EXPECT_GE(c->files.size(), 2u) << "the stream crossed segment rotations";
}

}  // namespace
}  // namespace flk::server
