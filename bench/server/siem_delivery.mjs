// SIEM delivery rate on loopback: a chain of N audit entries (tenant updates through the admin
// API, SQLite) is written while the receiver is away, then the receiver comes back and the time
// until every entry is acknowledged is measured, per format and batch size, with the server's CPU
// time over that span (user + system, from /proc). The receiver only parses and counts.
//   node bench/server/siem_delivery.mjs [N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const n = Number(process.argv[2] || 5000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run(format, batch) {
  const dir = mkdtempSync(join(tmpdir(), 'flk-siem-bench-'));
  let acked = 0;
  let up = false;
  const rcv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (!up) {
        res.writeHead(503).end();
        return;
      }
      acked += format === 'hec' ? body.split('\n').filter(Boolean).length : JSON.parse(body).length;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":0}');
    });
  });
  await new Promise((r) => rcv.listen(0, '127.0.0.1', r));
  const srv = spawn(`${root}dist/native/flk-server`, ['--data', dir, '--listen', '127.0.0.1:0', '--port-file', `${dir}/port`,
    '--admin-token', 'a', '--log-level', 'error', '--anomaly-self-ms', '0', '--siem-url', `http://127.0.0.1:${rcv.address().port}/`,
    '--siem-format', format, '--siem-token', 't', '--siem-batch', String(batch), '--siem-max-backoff-ms', '200'], { stdio: 'inherit' });
  try {
    while (!existsSync(`${dir}/port`)) await sleep(20);
    const url = `http://127.0.0.1:${Number(readFileSync(`${dir}/port`, 'utf8'))}`;
    for (let i = 0; i < n; i++)
      await fetch(`${url}/v1/admin/tenants/t${i}`, { method: 'PUT', body: '{"rate_per_sec": 5}',
        headers: { Authorization: 'Bearer a', 'Content-Type': 'application/json' } });
    const cpu = () => readFileSync(`/proc/${srv.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0) / 100;
    const c0 = cpu();
    const t0 = process.hrtime.bigint();
    up = true;
    while (acked < n) await sleep(5);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${format.padEnd(11)} batch ${String(batch).padStart(4)}: ${n} entries in ${s.toFixed(2)} s = ${Math.round(n / s)} entries/s, server CPU ${((cpu() - c0) / n * 1e6).toFixed(0)} µs/entry`);
  } finally {
    srv.kill('SIGTERM');
    await new Promise((r) => srv.on('exit', r));
    rcv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [format, batch] of [['cloudevents', 100], ['cloudevents', 500], ['hec', 500]]) await run(format, batch);
