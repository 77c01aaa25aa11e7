// Throughput of POST /v1/anomaly/observe on loopback with the default model and SQLite: one
// client sending signed requests back to back (no concurrency), 1, 100 and 1000 points per
// request, one series per size. Points are a noisy wave, so few are flagged (few store writes).
// Server CPU per request is read from /proc (user + system time of the server process).
//   node bench/server/anomaly_observe.mjs
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flk-anomaly-bench-'));
const srv = spawn(`${root}dist/native/flk-server`, ['--data', dir, '--listen', '127.0.0.1:0', '--port-file', `${dir}/port`,
  '--tenants', 'acme:hmac:k', '--rate-limit', '1000000', '--anomaly-self-ms', '0', '--log-level', 'warn'], { stdio: 'inherit' });
try {
  while (!existsSync(`${dir}/port`)) await new Promise((r) => setTimeout(r, 20));
  const url = `http://127.0.0.1:${Number(readFileSync(`${dir}/port`, 'utf8'))}/v1/anomaly/observe`;
  const cpu = () => readFileSync(`/proc/${srv.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0) / 100;
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
  for (const [per, calls] of [[1, 2000], [100, 200], [1000, 40]]) {
    let ts = 0, flagged = 0;
    const t0 = process.hrtime.bigint(), c0 = cpu();
    for (let c = 0; c < calls; c++) {
      const points = Array.from({ length: per }, () => ({ ts: ++ts, value: 50 + Math.sin(ts / 30) + noise() }));
      const body = JSON.stringify({ series: `s${per}`, points });
      const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Tenant-Id': 'acme',
        'X-Flk-Signature': createHmac('sha256', 'k').update(body).digest('base64') } });
      const answer = await res.json();
      if (res.status !== 200) throw new Error(JSON.stringify(answer));
      flagged += answer.anomalies;
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9, used = cpu() - c0;
    console.log(`${per} points/request: ${(calls / s).toFixed(0)} requests/s, ${((calls * per) / s).toFixed(0)} points/s ` +
      `(${calls} requests in ${s.toFixed(2)} s, ${flagged} points flagged); server CPU ${((used / calls) * 1e6).toFixed(0)} µs/request, ` +
      `${((used / (calls * per)) * 1e6).toFixed(1)} µs/point`);
  }
} finally {
  srv.kill('SIGTERM');
  await new Promise((r) => srv.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
