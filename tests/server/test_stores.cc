#include "test_stores.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include "app/facade.h"

namespace flk::server::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/flk-test-XXXXXX";
  path = mkdtemp(tmpl);
}

TempDir::~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }

std::string fresh_postgres_url(std::string* why) {
  const char* file = std::getenv("FLK_TEST_PG_URL_FILE");
  if (!file) {
    *why = "FLK_TEST_PG_URL_FILE is not set (ctest starts a cluster and sets it)";
    return "";
  }
  std::ifstream f(file);
  std::string base;
  if (!(f >> base)) {
    *why = std::string("no cluster URL in ") + file;
    return "";
  }
  static std::atomic<int> n{0};
  const std::string db = "t" + std::to_string(getpid()) + "_" + std::to_string(n++);
  PGconn* c = PQconnectdb(base.c_str());
  PGresult* r = PQexec(c, ("DROP DATABASE IF EXISTS " + db + "; ").c_str());
  PQclear(r);
  r = PQexec(c, ("CREATE DATABASE " + db).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) *why = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) return "";
  return base.substr(0, base.rfind('/') + 1) + db;
}

std::unique_ptr<Store> fresh_store(const std::string& kind, const TempDir& dir, std::string* url_out) {
  std::string why;
  if (kind == "postgres") {
    std::string url = fresh_postgres_url(&why);
    if (url.empty()) {
      ADD_FAILURE() << why;
      return nullptr;
    }
    if (url_out) *url_out = url;
    auto s = open_postgres_store(url);
    if (!s.ok()) ADD_FAILURE() << s.error().message;
    return s.ok() ? std::move(s.value()) : nullptr;
  }
  auto s = open_sqlite_store(dir.path + "/flk.sqlite");
  if (!s.ok()) ADD_FAILURE() << s.error().message;
  return s.ok() ? std::move(s.value()) : nullptr;
}

std::unique_ptr<Store> second_instance(const std::string& kind, const std::string& url) {
  if (kind != "postgres") return nullptr;
  auto s = open_postgres_store(url);
  if (!s.ok()) ADD_FAILURE() << s.error().message;
  return s.ok() ? std::move(s.value()) : nullptr;
}

VerdictWrite verdict(const std::string& tenant, const std::string& id, int status, const std::string& body, int64_t now,
                     int64_t ttl) {
  VerdictWrite w;
  w.tenant = tenant;
  w.id = id;
  w.status = status;
  w.body = body;
  w.now_ms = now;
  w.expires_ms = now + ttl;
  json::Value data = json::Value::object();
  data.set("pcs_id", id).set("status", status);
  w.audit = AuditDraft{"pcs.verdict", tenant, data, now};
  return w;
}

Status Batch::apply(Store& store) {
  std::vector<Write*> ptrs;
  for (auto& w : writes_) ptrs.push_back(w.get());
  return store.apply(ptrs, facade_audit_linker());
}

std::vector<std::string> all_entries(Store& store) {
  auto entries = audit::entries(store, 0, 1u << 20);
  EXPECT_TRUE(entries.ok()) << (entries.ok() ? "" : entries.error().message);
  return entries.ok() ? entries.value() : std::vector<std::string>();
}

}  // namespace flk::server::testing
