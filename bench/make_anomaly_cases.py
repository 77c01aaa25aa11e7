# Adds (or refreshes) the anomaly rows of bench/cases.json: scoring 1,000 vectors with a fitted
# 8 -> 3 -> 8 autoencoder and fitting one, so bench/js/run.mjs reports the WASM/native ratio of
# the same facade calls. The model is fitted by the native build (run scripts/build.sh native
# first): python3 bench/make_anomaly_cases.py
import json, math, pathlib, re, subprocess

root = pathlib.Path(__file__).resolve().parents[1]
path = root / "bench/cases.json"


def rows(n, seed):
    x, out = seed, []
    for i in range(n):
        vals = []
        for j in range(8):
            x = (1103515245 * x + 12345) % 2**31
            vals.append(round(math.sin(i / 7 + j) + (x / 2**31 - 0.5) * 0.2, 6))
        out.append(vals)
    return out


fit_in = {"rows": rows(1000, 1), "window": 0, "deltas": False, "smooth": 1, "layers": [3], "epochs": 5, "seed": 1}
line = json.dumps({"op": "anomaly.fit", "input": fit_in})
out = subprocess.run([str(root / "dist/native/flk"), "batch"], input=line + "\n", capture_output=True, text=True, check=True)
model = json.loads(out.stdout)["model"]
ours = [
    {"name": "anomaly.score ae 8-3-8, 1000 vectors", "op": "anomaly.score", "input": {"model": model, "rows": rows(1000, 2)}},
    {"name": "anomaly.fit ae 8-3-8, 1000 vectors x 5 epochs", "op": "anomaly.fit", "input": fit_in},
]
doc = json.loads(path.read_text())
doc["cases"] = [c for c in doc["cases"] if not c["op"].startswith("anomaly.")] + ours
# One line per array of numbers keeps the file readable.
text = re.sub(r"\[\s*(-?[0-9][^\[\]{}\"]*?)\s*\]", lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]",
              json.dumps(doc, indent=1))
assert json.loads(text) == doc
path.write_text(text + "\n")
