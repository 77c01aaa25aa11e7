// Runs Workers for real: bundles an entry the way wrangler does (esbuild with the workerd,
// worker and browser conditions; `*.wasm` imports kept as separate compiled-wasm modules), writes
// a workerd config, starts the workerd binary from the npm package on a loopback port, and
// stops it again.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { root } from './pack.mjs';

const WORKERD = join(root, 'node_modules/.bin/workerd');

// Bundles `entry` (resolving packages from resolveDir) into dir/<name>.js; returns its modules.
export async function bundleWorker(entry, dir, name) {
  const wasm = new Map();
  await build({
    entryPoints: [entry],
    outfile: join(dir, `${name}.js`),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'compiled-wasm',
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            const file = join(args.resolveDir, args.path);
            wasm.set(basename(file), file);
            return { path: `./${basename(file)}`, external: true };
          });
        },
      },
    ],
  });
  const modules = [{ name: `${name}.js`, kind: 'esModule' }];
  for (const [file, src] of wasm) {
    copyFileSync(src, join(dir, file));
    modules.push({ name: file, kind: 'wasm' });
  }
  return modules;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const capnpText = (s) => JSON.stringify(s); // a JSON string literal is a valid Cap'n Proto text literal

// workers: [{ name, modules, bindings?: {NAME: text} }]; each gets its own socket.
function config(workers) {
  const services = workers.map((w) => `(name = "${w.name}", worker = .${w.name})`).join(', ');
  const sockets = workers.map((w) => `(name = "${w.name}", address = "127.0.0.1:0", http = (), service = "${w.name}")`).join(', ');
  let text = `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = (services = [${services}], sockets = [${sockets}]);\n`;
  for (const w of workers) {
    const modules = w.modules.map((m) => `(name = "${m.name}", ${m.kind} = embed "${m.name}")`).join(', ');
    const bindings = Object.entries(w.bindings ?? {}).map(([k, v]) => `(name = "${k}", text = ${capnpText(v)})`).join(', ');
    text += `const ${w.name} :Workerd.Worker = (modules = [${modules}], bindings = [${bindings}], compatibilityDate = "2025-01-01");\n`;
  }
  return text;
}

// Starts workerd for the bundled workers in dir; resolves { urls: {name: baseUrl}, stop() }.
export async function startWorkerd(dir, workers) {
  writeFileSync(join(dir, 'config.capnp'), config(workers));
  const urls = {};
  const args = ['serve', join(dir, 'config.capnp')];
  for (const w of workers) {
    const port = await freePort();
    urls[w.name] = `http://127.0.0.1:${port}`;
    args.push('--socket-addr', `${w.name}=127.0.0.1:${port}`);
  }
  const child = spawn(WORKERD, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 15000;
  for (const url of Object.values(urls)) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log}`);
      try {
        await fetch(url, { method: 'HEAD' });
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`workerd did not answer on ${url}:\n${log}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  return { urls, stop, log: () => log, exited: () => child.exitCode !== null };
}

export const tempDir = (name) => mkdtempSync(join(tmpdir(), `flk-${name}-`));
