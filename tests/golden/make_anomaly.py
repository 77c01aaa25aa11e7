# Writes anomaly.json: anomaly ops on small fixed inputs. The rule-based answers (features,
# decide, sweep, feedback, evaluate, cluster labels) are re-derived here in Python and must
# agree with the core; trained models (ae, vae, iforest, zscore fits and their scores) are
# recorded from the native build (dist/native/flk), and the golden test then requires every
# build to return the same bytes, which is what pins training and scoring across builds.
# Run from the repository root after scripts/build.sh native: python3 tests/golden/make_anomaly.py
import json, math, pathlib, subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
cases = []


def native(op, inp):
    line = json.dumps({"op": op, "input": inp})
    out = subprocess.run([str(ROOT / "dist/native/flk"), "batch"], input=line + "\n", capture_output=True, text=True)
    return json.loads(out.stdout)


def case(name, op, inp, expect=None):
    got = native(op, inp)
    if expect is not None:
        assert got == expect, f"{name}: core {got} != python {expect}"
    cases.append({"name": name, "op": op, "input_json": json.dumps(inp), "expect": got})
    return got


def err(name, op, inp, code, path=None):
    got = native(op, inp)
    assert "error" in got and got["error"]["code"] == code, f"{name}: {got}"
    e = {"code": code}
    if path:
        e["path"] = path
        assert got["error"].get("path") == path, f"{name}: {got}"
    cases.append({"name": name, "op": op, "input_json": json.dumps(inp), "expect": {"error": e}})


# A small deterministic 3-metric series: a daily-like wave, a ramp and noise from an LCG
# (no Python RNG, so the inputs are stable across Python versions).
def lcg_series(n, seed):
    x, rows = seed, []
    for i in range(n):
        x = (1103515245 * x + 12345) % 2**31
        noise = x / 2**31 - 0.5
        rows.append([round(10 + 3 * math.sin(i / 5), 6), round(0.1 * i + noise, 6), round(noise * 2, 6)])
    return rows


train = lcg_series(80, 7)
test = lcg_series(12, 99)
test[3][1] = None          # a gap
test[7] = [40.0, 1.0, 9.0]  # a spike
cols = ["latency_ms", "queue", "error_rate"]
models = {}

for det, extra in [("ae", {"layers": [4, 2, 4], "epochs": 3}), ("vae", {"layers": [4], "latent": 2, "epochs": 3, "vae_samples": 4}),
                   ("iforest", {"trees": 4, "sample_size": 32}), ("zscore", {})]:
    fit_in = {"rows": train, "columns": cols, "detector": det, "seed": 11, "window": 5, "deltas": True, "smooth": 2, **extra}
    model = case(f"fit {det}", "anomaly.fit", fit_in)["model"]
    models[det] = model
    case(f"score {det} (gap, spike, blocking, explain)", "anomaly.score",
         {"model": model, "rows": test, "mode": "blocking", "explain": True})

# ---- windowed features, re-derived -------------------------------------------------------
rows = [[1.0], [3.0], [5.0], [None], [9.0]]
times = [0.0, 10.0, 20.0, 30.0, 30.0]
feats, ring, last, last_step, prev_t = [], [], None, 0.0, None
for r, t in zip(rows, times):
    x = last if r[0] is None else r[0]
    k = ring[-3:]
    mean = sum(k) / len(k) if k else None
    std = math.sqrt(sum((v - mean) ** 2 for v in k) / len(k)) if len(k) >= 2 else None
    step = None
    if prev_t is not None:
        dt = t - prev_t
        if dt > 0:
            last_step = dt
        step = dt if dt > 0 else (last_step if last_step > 0 else None)
    delta = x - last if last is not None else None
    feats.append([x, None if mean is None else x - mean, std, delta,
                  None if delta is None or step is None else delta / step])
    ring.append(x)
    last, prev_t = x, t
got = case("features: rolling mean/std, delta, rate, gap, repeated time", "anomaly.features",
           {"rows": rows, "times": times, "order": "keep", "window": 3, "deltas": True, "rates": True, "columns": ["v"]})
assert got["features"] == feats, (got["features"], feats)

# ---- decisions -----------------------------------------------------------------------------
def decide(mode, score, unc, th=0.5, bt=0.9, mu=0.2):
    rule = "block" if score >= bt and unc <= mu else ("guardrail" if score >= th else "accept")
    action = {"shadow": "accept", "guardrail": "guardrail" if rule != "accept" else "accept", "blocking": rule}[mode]
    return rule, action

for mode, score, unc in [("blocking", 0.95, 0.1), ("blocking", 0.95, 0.3), ("guardrail", 0.95, 0.1), ("shadow", 0.7, 0.0),
                         ("blocking", 0.2, 0.0)]:
    got = case(f"decide {mode} score {score} uncertainty {unc}", "anomaly.decide",
               {"score": score, "uncertainty": unc, "mode": mode})
    assert (got["rule"], got["action"]) == decide(mode, score, unc), got

# ---- threshold sweep, re-derived ----------------------------------------------------------
scores = [i / 250 for i in range(199)] + [0.985] + [0.97 + i / 10000 for i in range(100)]
labels = [0] * 200 + [1] * 100
best = None
for t in sorted(set(scores), reverse=True):
    tp = sum(1 for s, y in zip(scores, labels) if s >= t and y)
    fp = sum(1 for s, y in zip(scores, labels) if s >= t and not y)
    tpr, fpr = tp / 100, fp / 200
    if fpr <= 0.02 and tpr >= 0.95 and (best is None or tpr - fpr > best[1] - best[2]):
        best = (t, tpr, fpr)
got = case("sweep: best TPR - FPR under FPR <= 2 %, TPR >= 95 %", "anomaly.sweep",
           {"scores": scores, "labels": labels, "threshold": 0.5})
assert (got["threshold"], got["best"]["tpr"], got["best"]["fpr"]) == best, (got, best)
got = case("sweep: nothing qualifies, the old threshold stays", "anomaly.sweep",
           {"scores": scores, "labels": labels, "threshold": 0.5, "max_fpr": 0.0})
assert got["changed"] is False and got["reason"] == "no_threshold_meets_constraints"
case("sweep: too few items", "anomaly.sweep", {"scores": [0.1, 0.9], "labels": [False, True], "threshold": 0.5})

# ---- feedback loop --------------------------------------------------------------------------
items = [{"id": f"e{i}", "score": round(0.1 * i + 0.3, 10), "label": "anomaly" if i >= 4 else "normal"} for i in range(6)]
first = case("feedback: six items, sweep after six", "anomaly.feedback",
             {"items": items, "reoptimise_every": 6, "min_items": 6, "max_fpr": 0.0, "min_tpr": 1.0})
assert first["threshold"] == 0.7 and first["confusion"] == {"tp": 2, "fp": 0, "tn": 4, "fn": 0, "tpr": 1.0, "fpr": 0.0,
                                                              "precision": 1.0}
again = case("feedback: the same items again change nothing", "anomaly.feedback",
             {"items": items, "state": first["state"]})
assert again["unchanged"] == 6 and again["state"] == first["state"]

# ---- clusters ---------------------------------------------------------------------------------
vecs = []
for i in range(12):
    g = i % 3
    j = (i // 3) * 0.01
    vecs.append([6.0 + j if g == 0 else j, -5.0 - j if g == 1 else -j, 4.0 + j if g == 2 else j])
got = case("cluster: three groups, labels from dominant deviations", "anomaly.cluster",
           {"vectors": vecs, "k": 3, "seed": 5, "names": ["cpu", "mem", "disk"]})
assert sorted(c["label"] for c in got["clusters"]) == ["high cpu", "high disk", "low mem"]
got = case("assign: far vector opens a new cluster", "anomaly.assign",
           {"vector": [0.0, 0.0, -9.0], "clusters": got["clusters"], "new_cluster_distance": 2.0,
            "names": ["cpu", "mem", "disk"]})
assert got["created"] is True and got["label"] == "low disk"

# ---- evaluation -------------------------------------------------------------------------------
y = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0]
f = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0]
got = case("evaluate: point-wise and point-adjusted", "anomaly.evaluate", {"labels": y, "flags": f})
assert (got["pointwise"]["tp"], got["point_adjusted"]["tp"], got["segments_detected"]) == (1, 3, 1)

# ---- typed errors -----------------------------------------------------------------------------
err("fit: a row of another width", "anomaly.fit", {"rows": [[1, 2], [3, 4], [5]]}, "bad_length", "$.rows[2]")
err("fit: duplicate timestamp", "anomaly.fit", {"rows": [[1], [2], [3]], "times": [1, 2, 2]}, "duplicate_timestamp", "$.times[2]")
err("fit: timestamps going back", "anomaly.fit", {"rows": [[1], [2], [3]], "times": [1, 3, 2]}, "unsorted_timestamps", "$.times[2]")
err("fit: unknown detector", "anomaly.fit", {"rows": [[1], [2]], "detector": "lstm"}, "out_of_range", "$.detector")
err("fit: zscore needs a window", "anomaly.fit", {"rows": [[1], [2]], "detector": "zscore", "window": 0}, "out_of_range", "$.window")
err("fit: rates need timestamps", "anomaly.fit", {"rows": [[1], [2]], "rates": True}, "missing_field", "$.times")
err("fit: text in a row", "anomaly.fit", {"rows": [[1], ["2"]]}, "wrong_type", "$.rows[1][0]")
err("fit: a value beyond 1e100", "anomaly.fit", {"rows": [[1], [1e308]]}, "out_of_range", "$.rows[1][0]")
err("fit: a network above the weight limit", "anomaly.fit", {"rows": [[1], [2]], "layers": [4096, 4096]}, "too_large", "$.layers")
# Total work and memory of one call, and magnitudes in models (docs/limits.md).
err("fit: epochs x rows x weights over the work budget", "anomaly.fit",
    {"rows": [[i] for i in range(10)], "layers": [1024, 1000], "epochs": 1000}, "too_large", "$.epochs")
err("fit: an optimizer step per batch counts (2 rows, 1,000 epochs: 16 s when only rows counted)", "anomaly.fit",
    {"rows": [[1], [2]], "layers": [2066, 409], "epochs": 1000}, "too_large", "$.epochs")
err("fit: layers [4096,1000] over the weight limit (90 bytes that once ran for minutes)", "anomaly.fit",
    {"rows": [[1], [2]], "layers": [4096, 1000], "epochs": 1000}, "too_large", "$.layers")
err("fit: trees x sample size over the forest bound", "anomaly.fit",
    {"rows": [[i % 17] for i in range(300)], "detector": "iforest", "trees": 1000, "sample_size": 65536},
    "too_large", "$.trees")
err("cluster: k x vectors x dimensions x iterations over the work budget", "anomaly.cluster",
    {"vectors": [[i] for i in range(1000)], "k": 1000, "max_iterations": 10000}, "too_large", "$.max_iterations")
huge = json.loads(json.dumps(models["ae"]))
huge["network"]["layers"][0]["w"][0][0] = 1e308
err("score: a model weight of 1e308", "anomaly.score", {"model": huge, "rows": [[0, 0, 0]]}, "out_of_range",
    "$.model.network.layers[0].w[0][0]")
tiny = json.loads(json.dumps(models["ae"]))
tiny["scaler"]["scale"][1] = 1e-300
err("score: a scaler scale of 1e-300", "anomaly.score", {"model": tiny, "rows": [[0, 0, 0]]}, "out_of_range",
    "$.model.scaler.scale[1]")
err("score: not a model", "anomaly.score", {"model": {"format": "x"}, "rows": []}, "out_of_range", "$.model.format")
err("cluster: k above the number of vectors", "anomaly.cluster", {"vectors": [[1.0], [2.0]], "k": 3}, "out_of_range", "$.k")
err("feedback: unknown label", "anomaly.feedback", {"items": [{"id": "a", "score": 0.5, "label": "maybe"}]},
    "out_of_range", "$.items[0].label")

# The shipped default model (flk-server scores tenants without a model with it), and a stream it flags.
dm = case("default model", "anomaly.default_model", {})["model"]
assert dm["detector"] == "zscore" and dm["columns"] == ["value"], dm
spiky = [[50.0 + ((i * 7) % 5) * 0.3] for i in range(40)]
spiky[30] = [80.0]
flagged = case("default model: a spike", "anomaly.score", {"model": dm, "rows": spiky, "mode": "shadow"})["is_anomaly"]
assert flagged[30] and not any(flagged[:30]), flagged
err("default model: takes no fields", "anomaly.default_model", {"seed": 1}, "unknown_field", "$.seed")

out = {"description": "Anomaly ops: fits and scores recorded from the native build (all builds must match), rule-based "
                      "answers re-derived in Python, typed errors. Generated by make_anomaly.py.", "cases": cases}
pathlib.Path(__file__).with_name("anomaly.json").write_text(json.dumps(out, indent=1) + "\n")
