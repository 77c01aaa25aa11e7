#!/usr/bin/env node
// Writes ops/dashboards/<uid>.json (Grafana dashboards) from ops/dashboards/spec.mjs.
// --check: exit 1 if a written file would change (tests/js/ops.test.mjs runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboards } from '../ops/dashboards/spec.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'ops', 'dashboards');
const datasource = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 12;
const HEIGHT = 8;

function panel(p, i) {
  const fieldConfig = { defaults: { unit: p.unit }, overrides: [] };
  if (p.kind === 'gauge') Object.assign(fieldConfig.defaults, { min: 0, max: 1, thresholds: { mode: 'absolute',
    steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.8 }, { color: 'red', value: 1 }] } });
  return {
    id: i + 1,
    type: p.kind,
    title: p.title,
    datasource,
    gridPos: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
    fieldConfig,
    options: p.kind === 'heatmap' ? { calculate: false, yAxis: { unit: p.unit } } : {},
    targets: p.targets.map(([expr, legend], k) => ({
      refId: String.fromCharCode(65 + k),
      datasource,
      expr,
      legendFormat: legend,
      ...(p.kind === 'heatmap' ? { format: 'heatmap' } : {}),
      ...(p.kind === 'table' || p.kind === 'bargauge' ? { instant: true } : {}),
    })),
  };
}

export function dashboardJson(d) {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['flk'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }] },
    panels: d.panels.map(panel),
  };
}

export const files = () => dashboards.map((d) => [join(dir, `${d.uid}.json`), `${JSON.stringify(dashboardJson(d), null, 2)}\n`]);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, text] of files()) {
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {}
    if (old === text) continue;
    if (check) {
      console.error(`stale: ${path} (run node scripts/gen-dashboards.mjs)`);
      stale++;
    } else writeFileSync(path, text);
  }
  process.exit(stale ? 1 : 0);
}
