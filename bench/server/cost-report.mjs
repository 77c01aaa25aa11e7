// GET /v1/cost/report over N stored usage events of one tenant (default 10 M), on SQLite and
// PostgreSQL: the events are written straight into usage_events / usage_labels by SQL (the
// schema the server made; bodies of 700 bytes, about a priced event's), spread over 30 days, 3 models, 50 tasks, 1000 users and a team label
// on half of them; then each report is timed through the server (first call, and the median of 3).
//   node bench/server/cost-report.mjs [EVENTS, default 10000000] [STORES, default sqlite,postgres]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, startPostgres, startServer, tmp } from '../../tests/js/server-harness.mjs';

const n = Number(process.argv[2] ?? 10_000_000);
const stores = (process.argv[3] ?? 'sqlite,postgres').split(',');
const ADMIN = { Authorization: 'Bearer admin-secret' };
const DAY = 86400000;
const now = Date.now();
const start = Math.floor(now / DAY) * DAY - 29 * DAY;
const day = (offset) => new Date(now + offset * DAY).toISOString().slice(0, 10);
const REPORTS = ['', 'model,day', 'task,month', 'user', 'label:team,task'];

// One SELECT producing the rows from a series column i (both databases' SQL).
const eventsSql = (series, text, pad) =>
  `INSERT INTO usage_events (tenant, event_id, status, body, created_ms, expires_ms, cost_nanos, input, model, provider, ` +
  `task, user_id, verification_id) SELECT 'b', 'e' || i, 200, ${pad}, ${start} + (i * 2591) % ${30 * DAY}, ${now + 1e12}, ` +
  `1000 + (i * 7) % 100000, '', CASE i % 3 WHEN 0 THEN 'gpt-4o' WHEN 1 THEN 'gpt-4o-mini' ELSE 'claude-3-5-sonnet' END, ` +
  `CASE i % 3 WHEN 2 THEN 'anthropic' ELSE 'openai' END, 'task-' || ${text('i % 50')}, 'user' || ${text('i % 1000')}, '' ` +
  `FROM ${series}`;
const labelsSql = (series, text) =>
  `INSERT INTO usage_labels (tenant, event_id, key, value) SELECT 'b', 'e' || i, 'team', 'team-' || ${text('i % 7')} ` +
  `FROM ${series} WHERE i % 2 = 0`;

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

function fill(kind, dir, url) {
  if (kind === 'sqlite') {
    const series = `(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1}) SELECT i FROM s)`;
    const text = (x) => `(${x})`;
    run('sqlite3', [join(dir, 'flk.sqlite')], `PRAGMA journal_mode=WAL;\nBEGIN;\n${eventsSql(series, text, "substr(hex(zeroblob(350)), 1, 700)")};\n` +
      `${labelsSql(series, text)};\nCOMMIT;\nANALYZE;\n`);
  } else {
    const series = `generate_series(0::bigint, ${n - 1}) AS i`;
    const text = (x) => `(${x})::text`;
    run('psql', [url, '-qv', 'ON_ERROR_STOP=1'], `${eventsSql(series, text, "repeat('0', 700)")};\n${labelsSql(series, text)};\nVACUUM ANALYZE;\n`);
  }
}

async function timed(url) {
  const ms = [];
  let body;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers: { ...ADMIN, 'X-Tenant-Id': 'b' } });
    body = await r.json();
    if (r.status !== 200) throw new Error(JSON.stringify(body));
    ms.push(performance.now() - t);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { first_ms: Math.round(ms[0]), median_ms: Math.round(sorted[1]), rows: body.rows.length, events: body.totals.events };
}

const pg = startPostgres();
try {
  for (const kind of stores) {
    const dir = tmp('flk-bench-report-');
    const tenants = join(dir, 'tenants.json');
    writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'b', keys: [{ kid: 'k', key: { alg: 'hmac', key_text: 'x' } }] }] }));
    const url = kind === 'postgres' ? pg.database() : '';
    const opts = { data: dir, store: url, args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--log-level', 'warn'] };
    try {
      await (await startServer(opts)).stop();  // the schema
      let t = performance.now();
      fill(kind, dir, url);
      const fill_s = Math.round((performance.now() - t) / 100) / 10;
      const srv = await startServer(opts);
      try {
        const reports = {};
        for (const g of REPORTS)
          reports[g || '(none)'] = await timed(`${srv.url}/v1/cost/report?from=${day(-31)}&to=${day(1)}&group_by=${g}`);
        console.log(JSON.stringify({ store: kind, events: n, fill_s, reports }));
      } finally {
        await srv.stop();
      }
    } finally {
      cleanup(dir);
    }
  }
} finally {
  pg.stop();
}
