// What a SQLite commit makes durable: a VFS shim counts the syncs SQLite asks for. Writes the
// server's WAL journals (verdicts, usage events) commit unsynced (synchronous=NORMAL, the WAL
// covers them until a checkpoint); every other write (admin changes, anomaly state, billing
// uploads) is in no journal and must be synced by its own commit.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>

#include "app/facade.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::TempDir;

std::atomic<int> g_syncs{0};
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
// The method tables the real VFS gives its files (main db, -wal and -journal differ), and a
// copy of each whose xSync counts.
constexpr int kTables = 8;
const sqlite3_io_methods* g_real_io[kTables] = {};
sqlite3_io_methods g_io[kTables];

int counting_sync(sqlite3_file* f, int flags) {
  ++g_syncs;
  const int i = static_cast<int>(f->pMethods - g_io);
  return g_real_io[i]->xSync(f, flags);
}

// The default VFS, except that every file it opens counts its xSync calls: the file object is
// the real one with its method table swapped for the counting copy.
int counting_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  const int rc = g_real->xOpen(g_real, name, f, flags, out_flags);
  if (rc != SQLITE_OK || !f->pMethods) return rc;
  for (int i = 0; i < kTables; ++i) {
    if (!g_real_io[i]) {
      g_real_io[i] = f->pMethods;
      g_io[i] = *f->pMethods;
      g_io[i].xSync = counting_sync;
    }
    if (g_real_io[i] == f->pMethods) {
      f->pMethods = &g_io[i];
      break;
    }
  }
  return rc;
}

class SyncCounting : public ::testing::Test {
 protected:
  void SetUp() override {
    g_real = sqlite3_vfs_find(nullptr);
    ASSERT_NE(g_real, nullptr);
    g_vfs = *g_real;
    g_vfs.zName = "flk-counting";
    g_vfs.xOpen = counting_open;
    ASSERT_EQ(sqlite3_vfs_register(&g_vfs, 1), SQLITE_OK);
    store_ = testing::fresh_store("sqlite", dir_);
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    sqlite3_vfs_unregister(&g_vfs);
    sqlite3_vfs_register(g_real, 1);
  }
  // The syncs that applying w took.
  template <typename W>
  int syncs_of(W w) {
    const int before = g_syncs;
    std::vector<Write*> one = {&w};
    EXPECT_TRUE(store_->apply(one, facade_audit_linker()).ok());
    return g_syncs - before;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SyncCounting, JournaledWritesCommitUnsyncedAllOthersSynced) {
  EXPECT_EQ(syncs_of(testing::verdict("acme", "p1", 200, "{}")), 0) << "the server's WAL covers a verdict";

  KeyWrite key;
  key.tenant = "acme";
  key.key = KeyRecord{"acme", "k2", "hmac", "{\"alg\":\"hmac\",\"key_text\":\"x\"}", 1, std::nullopt};
  key.audit = AuditDraft{"key.added", "acme", json::Value::object(), 1};
  EXPECT_GE(syncs_of(key), 1) << "an added key is in no journal";

  RetireKeyWrite retire;
  retire.tenant = "acme";
  retire.key = key.key;
  retire.key.not_after_ms = 2;
  EXPECT_GE(syncs_of(retire), 1) << "a retired key must not come back as live";

  AnomalyStateWrite state;
  state.tenant = "acme";
  state.id = "feedback";
  state.body = "{}";
  EXPECT_GE(syncs_of(state), 1);

  BillingWrite upload;
  upload.tenant = "acme";
  upload.upload = BillingUpload{"acme", "u1", 1, "auto", "a,b\n", "{}"};
  upload.audit = AuditDraft{"billing.uploaded", "acme", json::Value::object(), 1};
  EXPECT_GE(syncs_of(upload), 1) << "a billing upload is in no journal";

  EXPECT_EQ(syncs_of(testing::verdict("acme", "p2", 200, "{}")), 0) << "back to unsynced commits afterwards";
}

}  // namespace
}  // namespace flk::server
