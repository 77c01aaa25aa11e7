# Writes compliance.json: compliance.report over an audit chain linked here with hashlib (as in
# make_audit.py). The chain, head hash, counts and control statuses are derived in this script and
# asserted; the rest of each report (titles, references, wording, HTML, OSCAL) is recorded from
# dist/native/flk, so the golden suite checks that every build gives the same bytes.
import copy, hashlib, json, pathlib, subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
GENESIS = "0" * 64
def canon(v): return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

rows = [("2025-12-31T23:59:59Z", "key.added", "acme", {"kid": "k1", "alg": "ed25519"}),
        ("2026-01-02T10:00:00Z", "key.added", "acme", {"kid": "k2", "alg": "ed25519"}),
        ("2026-01-03T10:00:00.250Z", "tenant.updated", "beta", {"rate_per_sec": 50, "burst": 100}),
        ("2026-01-04T10:00:00Z", "pcs.verdict", "acme", {"pcs_id": "p1", "outcome": "accepted", "status": 200}),
        ("2026-01-05T10:00:00Z", "key.retired", "acme", {"kid": "k1", "not_after": "2026-01-05T10:00:00Z"}),
        ("2026-01-06T10:00:00Z", "anomaly.detected", "acme", {"detector": "ewma", "score": 7}),
        ("2026-01-07T10:00:00Z", "pii.redacted", "acme", {"action": "redact", "counts": {"email": 1}, "route": "/v1/hrs/score"}),
        ("2026-02-01T00:00:00Z", "budget.decision", "beta", {"action": "deny"})]
chain, prev = [], GENESIS
for i, (time, typ, tenant, data) in enumerate(rows):
    e = {"seq": i + 1, "time": time, "type": typ, "tenant": tenant, "data": data, "prev_hash": prev}
    e["hash"] = hashlib.sha256(canon(e).encode()).hexdigest()
    chain.append(e); prev = e["hash"]
jsonl = "".join(canon(e) + "\n" for e in chain)
period = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}

def native(op, inp):
    out = subprocess.run([str(ROOT / "dist/native/flk"), "call", op], input=json.dumps(inp), capture_output=True, text=True)
    return json.loads(out.stdout)

cases = []
def case(name, inp, check):
    got = native("compliance.report", inp)
    check(got)
    cases.append({"name": name, "op": "compliance.report", "input": inp, "expect": got})

def statuses(rep): return {c["id"]: c["status"] for c in rep["controls"]}

def plain(got):
    rep = got["report"]
    assert rep["chain"] == {"valid": True, "count": 8, "head_seq": 8, "head_hash": chain[-1]["hash"], "anchored": False}
    assert rep["summary"]["entries_in_period"] == 6 and rep["summary"]["tenants_in_period"] == 2
    assert statuses(rep) == {"change.keys": "evidenced", "change.tenants": "evidenced", "change.models": "no_activity",
                             "audit.integrity": "partial", "access.routes": "partial", "monitoring.incidents": "partial",
                             "privacy.pii": "partial", "retention.data": "not_evidenced", "change.rollouts": "no_activity",
                             "monitoring.cost": "no_activity", "integrity.outputs": "no_activity"}
case("soc2 over a jsonl export", {"jsonl": jsonl, "framework": "soc2", **period}, plain)

def anchored(got):
    rep = got["report"]
    assert rep["chain"]["anchored"] and statuses(rep)["audit.integrity"] == "evidenced"
    assert statuses(rep)["retention.data"] == "partial" and rep["stated_config"] == {"anomaly_event_ttl_s": "7776000", "dedup_ttl_s": "1209600"}
    assert got["html"].startswith("<!DOCTYPE html>") and got["oscal"]["assessment-results"]["metadata"]["oscal-version"] == "1.1.2"
case("iso27001 anchored to a head, with stated retention, HTML and OSCAL",
     {"entries": chain, "framework": "iso27001", **period, "head_seq": 8, "head_hash": chain[-1]["hash"],
      "config": {"dedup_ttl_s": 1209600, "anomaly_event_ttl_s": "7776000"}, "formats": ["html", "oscal"]}, anchored)

edited = copy.deepcopy(chain); edited[2]["tenant"] = "mallory"
def broken(got):
    rep = got["report"]
    assert not rep["chain"]["valid"] and rep["chain"]["problem"]["kind"] == "edited" and rep["chain"]["count"] == 2
    assert statuses(rep)["audit.integrity"] == "failed" and rep["summary"]["entries_in_period"] == 1
case("an edited entry fails the integrity control and stops the evidence there", {"entries": edited, "framework": "soc2", **period}, broken)

def err(name, inp, code, path): cases.append({"name": name, "op": "compliance.report", "input": inp, "expect": {"error": {"code": code, "path": path}}})
err("unknown framework", {"entries": chain, "framework": "pci", **period}, "out_of_range", "$.framework")
err("an empty period", {"entries": chain, "framework": "soc2", "from": period["to"], "to": period["from"]}, "out_of_range", "$.to")
err("a time that is not RFC 3339", {"entries": chain, "framework": "soc2", "from": "2026-01-01", "to": period["to"]}, "bad_format", "$.from")

out = {"description": "compliance.report over a chain linked with hashlib by make_compliance.py; chain facts and control "
       "statuses asserted there, the full reports recorded from the native build to check identical bytes everywhere.",
       "cases": cases}
pathlib.Path(__file__).with_name("compliance.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
