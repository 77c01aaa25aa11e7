// The hash-chained audit log. An entry is a JSON object
//   {"seq", "time", "type", "tenant", "data", "prev_hash", "hash"}
// where hash = hex(SHA-256(canonical JSON of the entry without "hash"))) and prev_hash is the
// previous entry's hash (64 zeros before the first). Editing an entry breaks its own hash;
// deleting or reordering entries breaks the next entry's prev_hash; cutting off the tail is
// caught only against a head (seq, hash) kept elsewhere.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json/fields.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::audit {

extern const char* const kGenesisHash;

// Reads a field that must hold 64 lowercase hex digits (a SHA-256 in hex).
Result<std::string> read_hash(json::ObjectReader& r, const char* key);

// The fields an appender chooses; link() adds prev_hash and hash.
struct EntryFields {
  int64_t seq = 0;   // 1 for the first entry, then +1
  std::string time;  // RFC 3339 UTC
  std::string type;  // e.g. "pcs.verdict", "key.added"
  std::string tenant;
  json::Value data;  // an object
};

std::string entry_hash(const json::Value& entry_without_hash);
json::Value link(const EntryFields& f, const std::string& prev_hash);

// Where and why a chain fails. kind: malformed | edited | deleted | reordered | broken_link |
// truncated | head_mismatch.
struct Problem {
  size_t index = 0;  // 0-based position in the checked sequence
  int64_t seq = 0;   // the entry's seq when it has one
  std::string kind;
  std::string message;
};

struct Report {
  size_t count = 0;
  int64_t head_seq = 0;
  std::string head_hash;
  std::optional<Problem> problem;
};

struct Expect {
  std::string genesis_hash = kGenesisHash;  // prev_hash of the first entry (another value checks a suffix)
  std::optional<int64_t> first_seq;         // 1 when checking from the genesis
  std::optional<std::string> head_hash;     // the last entry's hash, kept elsewhere
  std::optional<int64_t> head_seq;
};

// entries: parsed entries, or an error per line that did not parse (reported as malformed).
Report verify(const std::vector<Result<json::Value>>& entries, const Expect& expect);

// A CloudEvents 1.0 (structured JSON) envelope for one entry, for SIEM shipping.
json::Value to_cloudevent(const json::Value& entry, const std::string& source);

}  // namespace flk::audit
