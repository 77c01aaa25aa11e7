// A store area: a part of the server's state with its own tables (store/<area>/). It lists its
// schema steps here; its write types (store.h's WriteType) and reads live in its folder. The
// one list of areas is store/areas.cc: adding an area is its folder plus one line there.
#pragma once
#include <vector>

#include "util/result.h"

namespace flk::server {

// One schema step: statements in the SQL both databases take (BIGINT and DOUBLE PRECISION get
// INTEGER and REAL affinity in SQLite), applied in one transaction and recorded in
// store_migrations (area, version). Steps are never edited once released; a change is a new step.
struct Migration {
  int version;
  std::vector<const char*> statements;
  // Run after statements, on one database only (where the two SQL dialects differ, e.g. JSON).
  std::vector<const char*> sqlite_only = {}, postgres_only = {};
};

struct Area {
  const char* name;
  std::vector<Migration> migrations;
};

// Every area, in the order their schema steps run (an area after those its tables refer to).
const std::vector<const Area*>& areas();

class Store;
// Applies the steps of every area that the database has not recorded (both stores call it on open).
Status migrate(Store& store);

}  // namespace flk::server
