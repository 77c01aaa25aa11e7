// Starting and stopping flk-server and throwaway PostgreSQL clusters for the end-to-end tests,
// and signed PCS documents made with the package itself (the WebAssembly build).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { createFlk } from '../../js/index.mjs';
import { flkBin, nativeDir, root } from './engines.mjs';

export { flkBin };
export const serverBin = `${nativeDir}/flk-server`;
export const tmp = (prefix) => mkdtempSync(join(tmpdir(), prefix));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function startPostgres() {
  const dir = tmp('flk-e2e-pg-');
  const r = spawnSync(`${root}scripts/pg-test-cluster.sh`, ['start', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot start PostgreSQL: ${r.stderr}`);
  const base = r.stdout.trim();
  let n = 0;
  return {
    // A new empty database per server group.
    database() {
      const name = `e2e_${process.pid}_${n++}`;
      const c = spawnSync('psql', [base, '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(c.stderr);
      return base.slice(0, base.lastIndexOf('/') + 1) + name;
    },
    stop: () => spawnSync(`${root}scripts/pg-test-cluster.sh`, ['stop', dir]),
    // Restarts the cluster (fast shutdown: sessions cut) without blocking the event loop.
    restart: () => new Promise((resolve, reject) => {
      spawn(`${root}scripts/pg-test-cluster.sh`, ['restart', dir], { stdio: 'ignore' })
        .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`restart exited ${code}`))));
    }),
  };
}

// The two stores every server suite runs on. SQLite lives in a server's data directory (store
// argument ''); PostgreSQL is one throwaway cluster per test file, started when the first
// database is asked for and stopped after the file's tests. Each call gives a new empty store.
export function bothStores() {
  let pg;
  after(() => pg?.stop());
  const postgres = () => (pg ??= startPostgres());
  return {
    kinds: ['sqlite', 'postgres'],
    database: (kind) => (kind === 'postgres' ? postgres().database() : ''),
    postgres,
  };
}

// A UTC calendar day (YYYY-MM-DD) offset days from today.
export const isoDay = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
// The facade's decimal USD text as integer nano-dollars.
export const usdNanos = (usd) => BigInt(usd.replace('.', '').replace(/^0+(?=\d)/, '')) * 10n ** BigInt(9 - usd.split('.')[1].length);

// Starts flk-server on a free port; resolves once it is ready. openFiles: a descriptor limit
// (ulimit -n) for the server process.
export async function startServer({ data, store = '', args = [], env = {}, openFiles = 0 }) {
  const portFile = join(data, `port-${Date.now()}-${Math.random()}`);
  const argv = ['--data', data, '--listen', '127.0.0.1:0', '--port-file', portFile, ...(store ? ['--store', store] : []), ...args];
  const [cmd, cmdArgs] = openFiles ? ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, serverBin, ...argv]] : [serverBin, argv];
  const child = spawn(cmd, cmdArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  for (let i = 0; i < 300 && !existsSync(portFile); i++) {
    if (child.exitCode !== null) throw new Error(`flk-server exited ${child.exitCode}: ${log}`);
    await sleep(20);
  }
  if (!existsSync(portFile)) throw new Error(`flk-server did not start: ${log}`);
  const port = Number(readFileSync(portFile, 'utf8'));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    child,
    exited,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function post(url, path, body, headers = {}) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

let flk;
export async function pcsFactory() {
  flk ??= await createFlk();
  const csv = readFileSync(`${root}tests/data/tiny_case_1.csv`, 'utf8');
  const base = flk.pcs.build({ csv, shard_id: 'shard-e2e', epoch: 1, sent_at: '2025-01-19T12:00:00Z' });
  return {
    flk,
    // A distinct, correctly identified PCS per epoch, signed with key (a facade key object).
    make(epoch, key, changes = {}) {
      const doc = { ...base, epoch, ...changes };
      doc.pcs_id = flk.pcs.id({ merkle_root: doc.merkle_root, epoch, shard_id: doc.shard_id }).pcs_id;
      return flk.pcs.sign({ pcs: doc, key });
    },
  };
}

// A port nothing listens on right now.
export function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}
