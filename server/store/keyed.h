// First-write-wins records, the shape that verdicts, usage events and anomaly events share:
// (tenant, <id column>, status, body, created_ms, expires_ms, extra columns), unique on
// (tenant, id). A write wins unless an unexpired record with its key is stored, or an earlier
// write of the batch has its key; a loser answers with the winner's status and body.
#pragma once
#include <string>
#include <vector>

#include "store/store.h"

namespace flk::server {

class KeyedWrite : public Write {
 public:
  void clear_results() override {
    Write::clear_results();
    winner_status = 0;
    winner_body.clear();
  }
  int status = 0;
  std::string body;
  int64_t now_ms = 0;
  int64_t expires_ms = 0;
  // Results.
  int winner_status = 0;
  std::string winner_body;
};

struct KeyedTable {
  const char* table;
  const char* id_column;
  // Columns after expires_ms (", a, b"), and their values for one write.
  const char* extra_columns = "";
  int extra_count = 0;
  void (*extra_values)(const KeyedWrite& w, std::vector<Param>& out) = nullptr;
};

// Inserts the run's writes (in batch order) and sets won / winner_* on each.
Status insert_first_wins(Tx& tx, const KeyedTable& t, const std::vector<KeyedWrite*>& run);

// A run of writes of one keyed type (store.h's WriteType::apply_run over insert_first_wins).
Status apply_keyed_run(Tx& tx, const KeyedTable& t, const std::vector<Write*>& run);
// Deletes the table's expired records; returns how many.
Result<int64_t> purge_expired(Store& store, const KeyedTable& t, int64_t now_ms);

// Stored records for keys (tenant, id) of the run, unexpired or not: key -> (status, body, expires_ms).
struct StoredRecord {
  int status = 0;
  std::string body;
  int64_t expires_ms = 0;
};
using StoredRecords = std::vector<std::pair<std::pair<std::string, std::string>, StoredRecord>>;
// Appends them to *out (inside Tx::pipeline: by the time the pipeline returns).
Status find_records(Tx& tx, const KeyedTable& t, const std::vector<KeyedWrite*>& run, StoredRecords* out);

}  // namespace flk::server
