// flk anomaly fit / score on CSV files: the CLI contract (plain and gzip CSV, one JSONL line per
// row), typed errors for malformed series, and a small slice of real labeled data (ASD omi-1)
// on which the shipped defaults must separate the labeled anomalies from normal rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { flkBin, root } from './engines.mjs';

const flk = flkBin;
const dir = mkdtempSync(`${tmpdir()}/flk-anomaly-`);
const run = (...args) => spawnSync(flk, ['anomaly', ...args], { encoding: 'utf8' });
const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const asd = `${shared}/data/anomaly/asd`;

function series(n, spikeAt) {
  let text = 'timestamp,latency_ms,error_rate\n';
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 60000).toISOString().slice(0, 19).replace('T', ' ');
    const lat = i === spikeAt ? 900 : 100 + 10 * Math.sin(i / 9) + ((i * 37) % 11) / 2;
    text += `${t},${lat.toFixed(3)},${(0.01 + ((i * 13) % 7) / 1000).toFixed(4)}\n`;
  }
  return text;
}

test('fit on gzip CSV, score CSV: one {row, score, is_anomaly} line per row', () => {
  writeFileSync(`${dir}/train.csv.gz`, gzipSync(series(600, -1)));
  writeFileSync(`${dir}/test.csv`, series(120, 50));
  for (const detector of ['ae', 'vae', 'iforest', 'zscore']) {
    const fit = run('fit', '--in', `${dir}/train.csv.gz`, '--out', `${dir}/m.json`, '--detector', detector, '--epochs', '3');
    assert.equal(fit.status, 0, fit.stdout + fit.stderr);
    const model = JSON.parse(readFileSync(`${dir}/m.json`, 'utf8'));
    assert.deepEqual(model.columns, ['latency_ms', 'error_rate']);
    const score = run('score', '--model', `${dir}/m.json`, '--in', `${dir}/test.csv`, '--out', `${dir}/s.jsonl`);
    assert.equal(score.status, 0, score.stdout + score.stderr);
    const lines = readFileSync(`${dir}/s.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 120);
    assert.deepEqual(Object.keys(lines[0]).sort(), ['is_anomaly', 'row', 'score']);
    lines.forEach((l, i) => assert.equal(l.row, i));
    // The isolation forest saturates beyond the training range (docs/anomaly.md, limitations),
    // so only the autoencoders must flag the spike itself; every detector must put its highest
    // score after the window warm-up on a row whose window or smoothing holds the spike.
    if (detector !== 'iforest') assert.equal(lines[50].is_anomaly, true, `${detector} misses the spike`);
    const best = lines.slice(model.features.window).reduce((a, b) => (b.score > a.score ? b : a));
    assert.ok(best.row >= 50 && best.row < 50 + model.features.window + model.smooth,
      `${detector}: highest score at row ${best.row}`);
  }
});

test('malformed CSVs and series get typed errors', () => {
  writeFileSync(`${dir}/wide.csv`, 'a,b\n1,2\n3,4,5\n');
  let r = run('fit', '--in', `${dir}/wide.csv`, '--out', `${dir}/x.json`);
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).error.code, 'bad_csv');
  assert.match(JSON.parse(r.stdout).error.path, /wide\.csv:3$/);

  writeFileSync(`${dir}/iso.csv`, 'timestamp,a\n2024-01-01T00:00:00Z,1\n');
  r = run('fit', '--in', `${dir}/iso.csv`, '--out', `${dir}/x.json`);
  assert.equal(JSON.parse(r.stdout).error.code, 'bad_csv');
  assert.match(JSON.parse(r.stdout).error.message, /is not a timestamp \(seconds, or YYYY-MM-DD HH:MM:SS\[\.ffffff\] without a zone\)$/);

  writeFileSync(`${dir}/text.csv`, 'a,b\n1,2\n3,x\n');
  r = run('fit', '--in', `${dir}/text.csv`, '--out', `${dir}/x.json`);
  assert.equal(JSON.parse(r.stdout).error.code, 'bad_csv');

  const dup = series(40, -1).split('\n');
  dup[10] = dup[9];  // a repeated row (and timestamp), as in several NAB files
  writeFileSync(`${dir}/dup.csv`, dup.join('\n'));
  r = run('fit', '--in', `${dir}/dup.csv`, '--out', `${dir}/x.json`, '--detector', 'iforest');
  assert.equal(r.status, 2);
  const e = JSON.parse(r.stdout).error;
  assert.equal(e.code, 'duplicate_timestamp');
  assert.equal(e.path, '$.times[9]');
  assert.match(e.message, /line 11\)/);
  r = run('fit', '--in', `${dir}/dup.csv`, '--out', `${dir}/x.json`, '--detector', 'iforest', '--order', 'keep');
  assert.equal(r.status, 0, r.stdout);

  const gaps = series(60, -1).split('\n');
  gaps[5] = gaps[5].replace(/,[^,]*,/, ',NaN,');
  gaps[6] = gaps[6].replace(/,[^,]*$/, ',');
  writeFileSync(`${dir}/gaps.csv`, gaps.join('\n'));
  r = run('fit', '--in', `${dir}/gaps.csv`, '--out', `${dir}/g.json`, '--detector', 'iforest');
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stderr, /\(2 gaps\)/);

  writeFileSync(`${dir}/other.csv`, 'timestamp,latency_ms,cpu\n2024-01-01 00:00:00,1,2\n');
  r = run('score', '--model', `${dir}/g.json`, '--in', `${dir}/other.csv`, '--out', `${dir}/x.jsonl`);
  assert.equal(JSON.parse(r.stdout).error.code, 'conflicting_fields');
  assert.equal(run('fit', '--in', `${dir}/gaps.csv`).status, 1);
  assert.equal(run('frobnicate').status, 1);
});

test('files that cannot be read or written are io errors naming the file (docs/errors.md)', () => {
  writeFileSync(`${dir}/io.csv`, series(40, -1));
  const cases = [
    [run('fit', '--in', `${dir}/absent.csv`, '--out', `${dir}/x.json`), `${dir}/absent.csv`],
    [run('score', '--model', `${dir}/absent.json`, '--in', `${dir}/io.csv`, '--out', `${dir}/x.jsonl`), `${dir}/absent.json`],
    [run('fit', '--in', `${dir}/io.csv`, '--out', `${dir}/no-such-dir/m.json`, '--detector', 'zscore'), `${dir}/no-such-dir/m.json`],
  ];
  for (const [r, path] of cases) {
    assert.equal(r.status, 2, r.stderr);
    const e = JSON.parse(r.stdout).error;
    assert.equal(e.code, 'io', r.stdout);
    assert.equal(e.path, path);
  }
});

test('real data slice (ASD omi-1): flags are mostly labeled anomalies and find most segments', (t) => {
  if (!existsSync(`${asd}/omi-1.train.csv.gz`)) return t.skip(`no data under ${asd} (set FLK_SHARED_DIR)`);
  const labels = readFileSync(`${asd}/omi-1.test_label.txt`, 'utf8').trim().split('\n').map(Number);
  const segments = [];
  labels.forEach((y, i) => {
    if (y && !labels[i - 1]) segments.push([i, i]);
    if (y) segments.at(-1)[1] = i;
  });
  const base = labels.filter(Boolean).length / labels.length;  // 10 % of the rows
  for (const detector of ['ae', 'iforest']) {
    const fit = run('fit', '--in', `${asd}/omi-1.train.csv.gz`, '--out', `${dir}/omi.json`, '--detector', detector,
      '--epochs', '4', '--quiet');
    assert.equal(fit.status, 0, fit.stdout + fit.stderr);
    const score = run('score', '--model', `${dir}/omi.json`, '--in', `${asd}/omi-1.test.csv.gz`, '--out', `${dir}/omi.jsonl`);
    assert.equal(score.status, 0, score.stdout);
    const flags = readFileSync(`${dir}/omi.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l).is_anomaly);
    assert.equal(flags.length, labels.length);
    const flagged = flags.filter(Boolean).length;
    const precision = flags.filter((f, i) => f && labels[i]).length / flagged;
    const found = segments.filter(([a, b]) => flags.slice(a, b + 1).some(Boolean)).length;
    assert.ok(flagged > 0 && flagged < 0.05 * labels.length, `${detector}: ${flagged} rows flagged`);
    assert.ok(precision > 3 * base, `${detector}: precision ${precision.toFixed(2)} (base rate ${base.toFixed(2)})`);
    assert.ok(found >= 3, `${detector}: ${found} of ${segments.length} segments found`);
  }
});
