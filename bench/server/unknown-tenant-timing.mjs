// Does the time of a 401 tell a stranger whether a tenant exists? Alternates signed-wrong usage
// events naming a real tenant (one HMAC key) and an unknown one over one keep-alive connection,
// and prints the median latency of each per round.
//   node bench/server/unknown-tenant-timing.mjs [PAIRS per round, default 3000] [ROUNDS, default 3]
import http from 'node:http';
import { cleanup, startServer, tmp } from '../../tests/js/server-harness.mjs';

const pairs = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 3);
const dir = tmp('flk-timing-');
const srv = await startServer({
  data: dir, args: ['--tenants', 'acme:hmac:acme secret', '--rate-limit', '1000000', '--log-level', 'error', '--threads', '1'],
});
// A 2 KB body: the signature check's work grows with the text it covers.
const body = JSON.stringify({ provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, event_id: 'x'.repeat(2000) });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const { hostname, port } = new URL(srv.url);
const once = (tenant) => new Promise((resolve, reject) => {
  const t0 = process.hrtime.bigint();
  const req = http.request({ host: hostname, port, path: '/v1/cost/usage', method: 'POST', agent,
    headers: { 'Content-Type': 'application/json', 'X-Tenant-Id': tenant, 'X-Flk-Signature': 'AAAA' } }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 401 ? resolve(Number(process.hrtime.bigint() - t0) / 1000)
      : reject(new Error(`expected 401, got ${res.statusCode}`))));
  });
  req.on('error', reject);
  req.end(body);
});
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
try {
  for (let r = 0; r < rounds; r++) {
    const known = [], unknown = [];
    for (let i = 0; i < pairs; i++) {
      known.push(await once('acme'));
      unknown.push(await once('nobody'));
    }
    const [k, u] = [median(known), median(unknown)];
    console.log(`round ${r + 1}: median µs, known tenant ${k.toFixed(1)}, unknown ${u.toFixed(1)}, difference ${(k - u).toFixed(1)}`);
  }
} finally {
  agent.destroy();
  await srv.stop();
  cleanup(dir);
}
