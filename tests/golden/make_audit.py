# Writes audit.json: hash-chained audit entries computed here with hashlib and json.dumps
# (sort_keys, compact, ASCII) -- an implementation independent of the C++ one -- and verify
# cases for each way a log can be tampered with.
import copy, hashlib, json, pathlib

GENESIS = "0" * 64
def canon(v): return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
def link(prev, seq, time, typ, tenant, data):
    e = {"seq": seq, "time": time, "type": typ, "tenant": tenant, "data": data, "prev_hash": prev}
    e["hash"] = hashlib.sha256(canon(e).encode()).hexdigest()
    return e

cases = []
def case(name, op, inp, expect): cases.append({"name": name, "op": op, "input": inp, "expect": expect})

datas = [("pcs.verdict", "acme", {"pcs_id": "c50bb25a7aff94164147b73c846f0e5e10890d75df204875ca70c448f52c6edf",
                                  "outcome": "accepted", "status": 200, "D_hat": 0.528320834, "budget": 0.317807017}),
         ("pcs.verdict", "acme", {"pcs_id": "ee69f7b2", "outcome": "escalated", "status": 202, "reason": "budget deviation: 0.05"}),
         ("key.added", "beta", {"kid": "k2", "alg": "ed25519"}),
         ("key.retired", "beta", {"kid": "k1", "not_after": "2025-01-20T12:00:00Z"}),
         ("pcs.verdict", "beta", {"pcs_id": "caf\u00e9", "outcome": "rejected", "status": 202, "r": 1e-05})]
chain, prev = [], GENESIS
for i, (typ, tenant, data) in enumerate(datas):
    e = link(prev, i + 1, f"2025-01-19T12:00:0{i}Z", typ, tenant, data)
    inp = {"prev_hash": prev, "seq": i + 1, "time": e["time"], "type": typ, "tenant": tenant, "data": data}
    case(f"link entry {i + 1} ({typ})", "audit.link", inp, e)
    chain.append(e); prev = e["hash"]
head = {"head_seq": 5, "head_hash": chain[-1]["hash"]}

def ok(n, h): return {"valid": True, "count": n, "head_seq": n, "head_hash": h}
def bad(entries, index, kind, message, seq=None):
    good = entries[:index]
    out = {"valid": False, "count": len(good),
           "head_seq": good[-1]["seq"] if good else 0, "head_hash": good[-1]["hash"] if good else GENESIS,
           "problem": {"index": index, "kind": kind, "message": message}}
    if seq is not None: out["problem"]["seq"] = seq
    return out

case("verify an intact chain (entries)", "audit.verify", {"entries": chain}, ok(5, chain[-1]["hash"]))
case("verify an intact chain (jsonl with a trailing newline)", "audit.verify",
     {"jsonl": "\n".join(canon(e) for e in chain) + "\n", **head}, ok(5, chain[-1]["hash"]))
case("verify the empty log", "audit.verify", {"entries": []}, ok(0, GENESIS))

edited = copy.deepcopy(chain); edited[2]["data"]["kid"] = "k3"
case("an edited entry is named", "audit.verify", {"entries": edited}, bad(edited, 2, "edited", "entry 2 (seq 3) was changed after it was written: its hash does not match its content", 3))
rehashed = copy.deepcopy(chain); rehashed[1]["data"]["outcome"] = "accepted"
del rehashed[1]["hash"]; rehashed[1]["hash"] = hashlib.sha256(canon(rehashed[1]).encode()).hexdigest()
case("an edited and re-hashed entry breaks the next link", "audit.verify", {"entries": rehashed},
     bad(rehashed, 2, "broken_link",
         "entry 2 (seq 3) does not link to the entry before it, which was replaced or re-hashed", 3))
deleted = chain[:1] + chain[2:]
case("a deleted entry is found", "audit.verify", {"entries": deleted}, bad(deleted, 1, "deleted", "entries seq 2..2 are missing before entry 1 (seq 3)", 3))
swapped = [chain[0], chain[2], chain[1], chain[3], chain[4]]
case("swapped entries are reordered", "audit.verify", {"entries": swapped}, bad(swapped, 1, "reordered", "entry 1 (seq 3) comes before entries with lower seq", 3))
case("a cut tail is caught against the head", "audit.verify", {"entries": chain[:3], **head},
     {"valid": False, "count": 3, "head_seq": 3, "head_hash": chain[2]["hash"],
      "problem": {"index": 3, "kind": "truncated", "seq": 3,
                  "message": "entries after seq 3 up to the expected head seq 5 are missing"}})
case("a suffix checks from a given genesis", "audit.verify",
     {"entries": chain[2:], "genesis_hash": chain[1]["hash"], "first_seq": 3}, {**ok(3, chain[-1]["hash"]), "head_seq": 5})
case("a suffix without its genesis reads as deleted entries", "audit.verify", {"entries": chain[2:]},
     bad(chain[2:], 0, "deleted", "entries seq 1..2 are missing before entry 0 (seq 3)", 3))
case("a suffix with a wrong genesis is a broken link", "audit.verify",
     {"entries": chain[2:], "genesis_hash": chain[0]["hash"], "first_seq": 3},
     {"valid": False, "count": 0, "head_seq": 2, "head_hash": chain[0]["hash"],
      "problem": {"index": 0, "seq": 3, "kind": "broken_link",
                  "message": "entry 0 (seq 3) does not link to the entry before it, which was replaced or re-hashed"}})
lines = [canon(e) for e in chain]; lines[3] = lines[3][:-5]
case("a line that is not JSON is malformed", "audit.verify", {"jsonl": "\n".join(lines)},
     {"valid": False, "count": 3, "head_seq": 3, "head_hash": chain[2]["hash"], "problem": {"index": 3, "kind": "malformed", "message": "entry 3 is not JSON (bad_json)"}})
extra = copy.deepcopy(chain); extra[0]["note"] = "x"
case("an entry with an unknown field is malformed", "audit.verify", {"entries": extra}, bad(extra, 0, "malformed", "entry 0: unknown_field at $[0].note"))

def ce(e, source):
    return {"specversion": "1.0", "id": e["hash"], "source": source, "type": "dev.fractal-lba.audit." + e["type"],
            "time": e["time"], "subject": e["tenant"], "sequence": str(e["seq"]), "datacontenttype": "application/json",
            "data": e}
case("cloudevents envelopes", "audit.cloudevents", {"entries": chain[:2], "source": "//flk-server/test"},
     {"events": [ce(e, "//flk-server/test") for e in chain[:2]]})

case("error: link with a short prev_hash", "audit.link",
     {"prev_hash": "00", "seq": 1, "time": "2025-01-19T12:00:00Z", "type": "t", "tenant": "a", "data": {}},
     {"error": {"code": "bad_format", "path": "$.prev_hash"}})
case("error: link with a bad time", "audit.link",
     {"prev_hash": GENESIS, "seq": 1, "time": "yesterday", "type": "t", "tenant": "a", "data": {}},
     {"error": {"code": "bad_format", "path": "$.time"}})
case("error: link with seq 0", "audit.link",
     {"prev_hash": GENESIS, "seq": 0, "time": "2025-01-19T12:00:00Z", "type": "t", "tenant": "a", "data": {}},
     {"error": {"code": "out_of_range", "path": "$.seq"}})
case("error: verify with both inputs", "audit.verify", {"entries": [], "jsonl": ""},
     {"error": {"code": "conflicting_fields", "path": "$.entries"}})
case("error: verify with neither input", "audit.verify", {}, {"error": {"code": "missing_field", "path": "$.entries"}})
case("error: cloudevents without a source", "audit.cloudevents", {"entries": [], "source": ""},
     {"error": {"code": "bad_length", "path": "$.source"}})

out = {"description": "Hash-chained audit entries (audit.link), tamper detection (audit.verify) and CloudEvents "
       "envelopes. Generated by make_audit.py with hashlib, independently of the C++ code.", "cases": cases}
pathlib.Path(__file__).with_name("audit.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
