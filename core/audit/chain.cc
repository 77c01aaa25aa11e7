#include "audit/chain.h"

#include <algorithm>

#include "crypto/hash.h"
#include "json/fields.h"
#include "json/write.h"

namespace flk::audit {

const char* const kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

Result<std::string> read_hash(json::ObjectReader& r, const char* key) {
  FLK_ASSIGN(std::string h, r.string(key, 64));
  bool ok = h.size() == 64;
  for (char c : h) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) return make_error("bad_format", r.path_of(key) + " must be 64 lowercase hex digits", r.path_of(key));
  return h;
}

namespace {

struct Parsed {
  int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
  json::Value unhashed;  // the entry without "hash"
};

Result<Parsed> parse_entry(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  Parsed p;
  FLK_ASSIGN(p.seq, r.integer("seq", 1));
  FLK_TRY(r.string("time", 64));
  FLK_TRY(r.string("type", 128));
  FLK_TRY(r.string("tenant", 256));
  FLK_ASSIGN(const json::Value* data, r.required("data"));
  if (!data->is_object()) return json::wrong_type(r.path_of("data"), "an object", *data);
  FLK_ASSIGN(p.prev_hash, read_hash(r, "prev_hash"));
  FLK_ASSIGN(p.hash, read_hash(r, "hash"));
  FLK_TRY(r.finish());
  p.unhashed = json::Value::object();
  for (const auto& m : v.as_object())
    if (m.first != "hash") p.unhashed.set(m.first, m.second);
  return p;
}

Problem problem(size_t i, int64_t seq, const char* kind, std::string message) {
  return Problem{i, seq, kind, std::move(message)};
}

}  // namespace

std::string entry_hash(const json::Value& entry_without_hash) {
  return crypto::sha256_hex(json::to_string(entry_without_hash));
}

json::Value link(const EntryFields& f, const std::string& prev_hash) {
  json::Value e = json::Value::object();
  e.set("seq", f.seq).set("time", f.time).set("type", f.type).set("tenant", f.tenant).set("data", f.data);
  e.set("prev_hash", prev_hash);
  std::string h = entry_hash(e);
  e.set("hash", std::move(h));
  return e;
}

Report verify(const std::vector<Result<json::Value>>& entries, const Expect& expect) {
  Report rep;
  rep.head_hash = expect.genesis_hash;
  rep.head_seq = expect.first_seq ? *expect.first_seq - 1 : 0;
  std::optional<int64_t> prev_seq;
  if (expect.first_seq) prev_seq = *expect.first_seq - 1;
  // Sorted, so whether a gap's seqs come later is one search however wide the gap claims to be.
  std::vector<int64_t> seqs;
  for (const auto& e : entries)
    if (e.ok() && e->is_object())
      if (const json::Value* s = e->find("seq"); s && s->is_int()) seqs.push_back(s->as_int());
  std::sort(seqs.begin(), seqs.end());

  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string path = json::index_path("$", i);
    if (!entries[i].ok()) {
      rep.problem = problem(i, 0, "malformed", "entry " + std::to_string(i) + " is not JSON (" + entries[i].error().code + ")");
      return rep;
    }
    auto parsed = parse_entry(entries[i].value(), path);
    if (!parsed.ok()) {
      rep.problem = problem(i, 0, "malformed",
                            "entry " + std::to_string(i) + ": " + parsed.error().code + " at " + parsed.error().path);
      return rep;
    }
    const Parsed& p = parsed.value();
    const std::string at = "entry " + std::to_string(i) + " (seq " + std::to_string(p.seq) + ")";
    if (entry_hash(p.unhashed) != p.hash) {
      rep.problem = problem(i, p.seq, "edited", at + " was changed after it was written: its hash does not match its content");
      return rep;
    }
    // seq >= 1, so p.seq - 1 cannot overflow where *prev_seq + 1 could.
    if (p.prev_hash != rep.head_hash || (prev_seq && p.seq - 1 != *prev_seq)) {
      if (!prev_seq) {
        rep.problem = problem(i, p.seq, "broken_link",
                              at + " does not follow the expected previous hash (give genesis_hash and first_seq to check a suffix)");
      } else if (p.seq - 1 > *prev_seq) {
        auto next = std::upper_bound(seqs.begin(), seqs.end(), *prev_seq);
        const bool later = next != seqs.end() && *next < p.seq;
        rep.problem = later ? problem(i, p.seq, "reordered", at + " comes before entries with lower seq")
                            : problem(i, p.seq, "deleted",
                                      "entries seq " + std::to_string(*prev_seq + 1) + ".." + std::to_string(p.seq - 1) +
                                          " are missing before " + at);
      } else if (p.seq <= *prev_seq) {
        rep.problem = problem(i, p.seq, "reordered", at + " follows seq " + std::to_string(*prev_seq));
      } else {
        rep.problem = problem(i, p.seq, "broken_link",
                              at + " does not link to the entry before it, which was replaced or re-hashed");
      }
      return rep;
    }
    rep.head_hash = p.hash;
    rep.head_seq = p.seq;
    prev_seq = p.seq;
    ++rep.count;
  }
  if (expect.head_seq && rep.head_seq != *expect.head_seq) {
    const bool short_log = rep.head_seq < *expect.head_seq;
    rep.problem = problem(entries.size(), rep.head_seq, short_log ? "truncated" : "head_mismatch",
                          short_log ? "entries after seq " + std::to_string(rep.head_seq) + " up to the expected head seq " +
                                          std::to_string(*expect.head_seq) + " are missing"
                                    : "the log goes past the expected head seq " + std::to_string(*expect.head_seq));
  } else if (expect.head_hash && rep.head_hash != *expect.head_hash) {
    rep.problem = problem(entries.size(), rep.head_seq, "head_mismatch",
                          "the last entry's hash differs from the expected head hash (a cut or rewritten tail)");
  }
  return rep;
}

json::Value to_cloudevent(const json::Value& entry, const std::string& source) {
  auto str = [&](const char* k) {
    const json::Value* v = entry.find(k);
    return v && v->is_string() ? v->as_string() : std::string();
  };
  const json::Value* seq = entry.find("seq");
  json::Value ev = json::Value::object();
  ev.set("specversion", "1.0")
      .set("id", str("hash"))
      .set("source", source)
      .set("type", "dev.fractal-lba.audit." + str("type"))
      .set("time", str("time"))
      .set("subject", str("tenant"))
      .set("sequence", seq && seq->is_int() ? std::to_string(seq->as_int()) : std::string())
      .set("datacontenttype", "application/json")
      .set("data", entry);
  return ev;
}

}  // namespace flk::audit
