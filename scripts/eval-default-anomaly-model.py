# The default anomaly model (the op anomaly.default_model, which flk-server uses) on every NAB series
# of $FLK_SHARED_DIR/data/anomaly/nab: each series is scored as one stream from its first row,
# as POST /v1/anomaly/observe does (the first 16 points never flagged), and evaluated point-wise
# after its probationary period (the first min(15 %, 750) rows), a row being anomalous when its
# timestamp lies in a labeled window. Needs dist/native/flk: python3 scripts/eval-default-anomaly-model.py
import csv, json, os, pathlib, subprocess

root = pathlib.Path(__file__).resolve().parent.parent
nab = pathlib.Path(os.environ.get('FLK_SHARED_DIR', root.parent / 'shared')) / 'data/anomaly/nab'
model = json.loads(subprocess.run([str(root / 'dist/native/flk'), 'call', 'anomaly.default_model'], input='{}',
                                  check=True, capture_output=True, text=True).stdout)['model']
windows = json.load(open(nab / 'labels/combined_windows.json'))
WARM_UP = 16

tp = fp = fn = found = total_windows = 0
f1s = []
for s in csv.DictReader(open(nab / 'series.csv')):
    rows = list(csv.reader(open(nab / 'data' / s['file'])))[1:]
    times = [r[0] for r in rows]
    scored = subprocess.run([str(root / 'dist/native/flk'), 'call', 'anomaly.score'], check=True, capture_output=True, text=True,
                            input=json.dumps({'model': model, 'rows': [[float(r[1])] for r in rows]}))
    flags = [f and i >= WARM_UP for i, f in enumerate(json.loads(scored.stdout)['is_anomaly'])]
    start = min(len(rows) * 15 // 100, 750)
    wins = [(a[:19], b[:19]) for a, b in windows[s['file']]]
    labels = [any(a <= t <= b for a, b in wins) for t in times]
    a = sum(flags[i] and labels[i] for i in range(start, len(rows)))
    b = sum(flags[i] and not labels[i] for i in range(start, len(rows)))
    c = sum(labels[i] and not flags[i] for i in range(start, len(rows)))
    tp, fp, fn = tp + a, fp + b, fn + c
    if wins:
        p, r = (a / (a + b) if a + b else 0), (a / (a + c) if a + c else 0)
        f1s.append(2 * p * r / (p + r) if p + r else 0)
    for wa, wb in wins:
        total_windows += 1
        found += any(flags[i] and wa <= times[i] <= wb for i in range(start, len(rows)))
P, R = tp / (tp + fp), tp / (tp + fn)
print(f'NAB, default model: pooled P {P:.3f} R {R:.3f} F1 {2 * P * R / (P + R):.3f}; mean F1 over the '
      f'{len(f1s)} labeled series {sum(f1s) / len(f1s):.3f}; windows found {found}/{total_windows}; rows flagged {tp + fp}')
