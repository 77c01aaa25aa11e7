// Runs the Fastly program dist/wasi/flk-fastly.wasm without Fastly: through its command
// interface, and through a stand-in for Fastly's hostcalls written from the published ABI
// (compute-at-edge.witx). The stand-in serves one request per run, as Fastly does; it hands the
// body over in small chunks, accepts partial writes and makes the URI buffer retry, so the
// program's loops are exercised. It shows the program drives the ABI as we read it; it is not
// Fastly's runtime (docs/edge.md says what was and was not run).
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { root, } from './pack.mjs';
import { tempDir } from './workerd.mjs';

const wasmPath = join(root, 'dist/wasi/flk-fastly.wasm');
let compiled;
const program = () => (compiled ??= new WebAssembly.Module(readFileSync(wasmPath)));

const OK = 0, INVAL = 2, BADF = 3, BUFLEN = 4, NONE = 10;

// Runs the program once with args, env and stdin bytes; hostcalls(getMemory) supplies Fastly's modules.
function run(args, env, stdin, hostcalls) {
  const dir = tempDir('fastly');
  writeFileSync(join(dir, 'in'), stdin);
  const fds = [openSync(join(dir, 'in'), 'r'), openSync(join(dir, 'out'), 'w'), openSync(join(dir, 'err'), 'w')];
  try {
    const wasi = new WASI({ version: 'preview1', args: ['flk-fastly.wasm', ...args], env, stdin: fds[0], stdout: fds[1], stderr: fds[2], returnOnExit: true });
    let instance;
    const imports = { ...hostcalls(() => instance.exports.memory), ...wasi.getImportObject() };
    instance = new WebAssembly.Instance(program(), imports);
    const code = wasi.start(instance);
    return { code, stdout: readFileSync(join(dir, 'out'), 'utf8'), stderr: readFileSync(join(dir, 'err'), 'utf8') };
  } finally {
    fds.forEach(closeSync);
  }
}

const noFastly = () => {
  const unavailable = () => {
    throw new Error('a Fastly hostcall in command mode');
  };
  const mod = (names) => Object.fromEntries(names.map((n) => [n, unavailable]));
  return {
    fastly_abi: mod(['init']),
    fastly_http_req: mod(['body_downstream_get', 'method_get', 'uri_get', 'header_value_get']),
    fastly_http_body: mod(['new', 'read', 'write']),
    fastly_http_resp: mod(['new', 'status_set', 'header_insert', 'send_downstream']),
    fastly_config_store: mod(['open', 'get']),
    fastly_secret_store: mod(['open', 'get', 'plaintext']),
  };
};

// The command interface: `flk-fastly.wasm handle METHOD PATH [AUTHORIZATION] < body`, settings
// in the environment.
export function handleCommand({ method = 'POST', path, body = '', authorization }, settings = {}) {
  const r = run(['handle', method, path, ...(authorization === undefined ? [] : [authorization])], settings, body, noFastly);
  if (r.code !== 0) throw new Error(`flk-fastly.wasm exited ${r.code}: ${r.stderr}`);
  const nl = r.stdout.indexOf('\n');
  return { status: Number(r.stdout.slice(0, nl)), body: r.stdout.slice(nl + 1).replace(/\n$/, '') };
}

// Serves one request through the stand-in hostcalls; settings come from a config store
// "flk_config" (FLK_BANDS as "bands", FLK_GATE_POLICY as "gate_policy", FLK_OPEN_OPS as
// "open_ops") and a secret store
// "flk_secrets" (FLK_PCS_KEY as "pcs_key", FLK_GATE_KEY as "gate_key"), as main.cc reads them.
// Returns what was sent downstream.
export function handleHostcalls({ method = 'POST', path, body = '', authorization }, settings = {}, { uri = `https://gate.example.com${path}?x=1` } = {}) {
  const stores = {
    flk_config: { bands: settings.FLK_BANDS, gate_policy: settings.FLK_GATE_POLICY, open_ops: settings.FLK_OPEN_OPS },
    flk_secrets: { pcs_key: settings.FLK_PCS_KEY, gate_key: settings.FLK_GATE_KEY },
  };
  const requestHeaders = authorization === undefined ? {} : { authorization };
  const storeHandles = new Map();
  const secrets = new Map();
  const encoder = new TextEncoder();
  const requestBody = typeof body === 'string' ? encoder.encode(body) : body;
  const bodies = new Map([[2, { bytes: requestBody, pos: 0 }]]);
  const responses = new Map();
  let nextHandle = 10, initialised = false, taken = false, sent = null;
  const calls = [];
  const hostcalls = (getMemory) => {
    const view = () => new DataView(getMemory().buffer);
    const bytes = (p, n) => new Uint8Array(getMemory().buffer, p, n);
    const text = (p, n) => new TextDecoder().decode(bytes(p, n));
    const u32 = (p, v) => view().setUint32(p, v, true);
    const usize = u32; // wasm32
    const writeText = (s, buf, len, nwritten) => {
      const b = encoder.encode(s);
      usize(nwritten, b.length);
      if (b.length > len) return BUFLEN;
      bytes(buf, b.length).set(b);
      return OK;
    };
    // Stores exist only when they hold something, as on Fastly when none is linked.
    const openStore = (kind, name, out) => {
      if (name !== kind || Object.values(stores[kind]).every((v) => v === undefined)) return NONE;
      storeHandles.set(nextHandle, stores[kind]);
      u32(out, nextHandle++);
      return OK;
    };
    const guard = (name, f) => (...a) => {
      calls.push(name);
      if (!initialised && name !== 'init') return INVAL;
      return f(...a);
    };
    return {
      fastly_abi: {
        init: guard('init', (version) => {
          initialised = version === 1n;
          return initialised ? OK : INVAL;
        }),
      },
      fastly_http_req: {
        body_downstream_get: guard('body_downstream_get', (reqOut, bodyOut) => {
          if (taken) return INVAL;
          taken = true;
          u32(reqOut, 1);
          u32(bodyOut, 2);
          return OK;
        }),
        method_get: guard('method_get', (h, buf, len, nw) => (h === 1 ? writeText(method, buf, len, nw) : BADF)),
        uri_get: guard('uri_get', (h, buf, len, nw) => (h === 1 ? writeText(uri, buf, len, nw) : BADF)),
        // A header the request lacks is `none`, as in the witx's optional result.
        header_value_get: guard('header_value_get', (h, np, nl, buf, len, nw) => {
          if (h !== 1) return BADF;
          const v = requestHeaders[text(np, nl).toLowerCase()];
          return v === undefined ? NONE : writeText(v, buf, len, nw);
        }),
      },
      fastly_http_body: {
        new: guard('body_new', (out) => {
          bodies.set(nextHandle, { bytes: new Uint8Array(0), pos: 0 });
          u32(out, nextHandle++);
          return OK;
        }),
        read: guard('body_read', (h, buf, len, nread) => {
          const b = bodies.get(h);
          if (!b) return BADF;
          const n = Math.min(len, 1000, b.bytes.length - b.pos); // small chunks on purpose
          bytes(buf, n).set(b.bytes.subarray(b.pos, b.pos + n));
          b.pos += n;
          usize(nread, n);
          return OK;
        }),
        write: guard('body_write', (h, buf, len, end, nwritten) => {
          const b = bodies.get(h);
          if (!b || end !== 0) return b ? INVAL : BADF;
          const n = Math.min(len, 4096); // partial writes on purpose
          const grown = new Uint8Array(b.bytes.length + n);
          grown.set(b.bytes);
          grown.set(bytes(buf, n), b.bytes.length);
          b.bytes = grown;
          usize(nwritten, n);
          return OK;
        }),
      },
      fastly_config_store: {
        open: guard('config_store_open', (np, nl, out) => openStore('flk_config', text(np, nl), out)),
        get: guard('config_store_get', (h, kp, kl, buf, len, nw) => {
          const v = storeHandles.get(h)?.[text(kp, kl)];
          return v === undefined ? NONE : writeText(v, buf, len, nw);
        }),
      },
      fastly_secret_store: {
        open: guard('secret_store_open', (np, nl, out) => openStore('flk_secrets', text(np, nl), out)),
        get: guard('secret_store_get', (h, kp, kl, out) => {
          const v = storeHandles.get(h)?.[text(kp, kl)];
          if (v === undefined) return NONE;
          secrets.set(nextHandle, v);
          u32(out, nextHandle++);
          return OK;
        }),
        plaintext: guard('secret_plaintext', (h, buf, len, nw) => (secrets.has(h) ? writeText(secrets.get(h), buf, len, nw) : BADF)),
      },
      fastly_http_resp: {
        new: guard('resp_new', (out) => {
          responses.set(nextHandle, { status: 200, headers: {} });
          u32(out, nextHandle++);
          return OK;
        }),
        status_set: guard('status_set', (h, status) => {
          const r = responses.get(h);
          if (!r) return BADF;
          r.status = status;
          return OK;
        }),
        header_insert: guard('header_insert', (h, np, nl, vp, vl) => {
          const r = responses.get(h);
          if (!r) return BADF;
          r.headers[text(np, nl).toLowerCase()] = text(vp, vl);
          return OK;
        }),
        send_downstream: guard('send_downstream', (h, b, streaming) => {
          const r = responses.get(h);
          const out = bodies.get(b);
          if (!r || !out || sent) return sent ? INVAL : BADF;
          sent = { status: r.status, headers: r.headers, body: new TextDecoder().decode(out.bytes), streaming };
          return OK;
        }),
      },
    };
  };
  const r = run([], {}, '', hostcalls);
  if (r.code !== 0 || !sent) throw new Error(`flk-fastly.wasm exited ${r.code} without a response: ${r.stderr}`);
  return { ...sent, calls, consumed: bodies.get(2).pos };
}
