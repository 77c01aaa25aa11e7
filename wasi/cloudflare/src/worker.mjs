// A Cloudflare Worker that gates LLM answers with the verification core before they reach users.
//   POST /score      body: an hrs.score input   -> {"decision": <routing.decide>, "score": <hrs.score>}
//   POST /verify     body: {"pcs", "params"?}   -> {"decision": {"action"}, "verdict": <pcs.verify>}
//   POST /gate       body: a gate.decide request ({question?, context?, answer, citations?,
//                    samples?, pcs?, host_votes?, usage?, …}) -> {"decision": <gate.decide>} with its
//                    status: 200 accept, 202 escalate, 409 reject (flk-server's POST /v1/verify gate)
//   POST /call/<op>  body: that op's input      -> that op's output: the open ops (FLK_OPEN_OPS)
//                    for anyone, every other op with "Authorization: Bearer <FLK_GATE_KEY>"
// Which handler serves a request, and which requests are refused, is the core's gate.route op,
// the same code the Fastly program (wasi/fastly) runs.
// Configuration (wrangler.toml [vars] / `wrangler secret put`):
//   FLK_BANDS     optional JSON array of routing.decide bands (default: the core's policy)
//   FLK_GATE_POLICY optional JSON: ensemble.verify's policy for /gate (default: the core's)
//   FLK_PCS_KEY   the key PCS documents are verified with, e.g. {"alg":"hmac","key_text":"…"};
//                 never taken from the client.
//   FLK_OPEN_OPS  optional: the ops anyone may call, names separated by commas or spaces
//                 ("default" = the core's list of ops that change no shared state)
//   FLK_GATE_KEY  optional secret (16 bytes or more): the token that opens every other op
// Errors are typed, {"error":{"code","message","path"?}}: HTTP 400 (bad input), 401/403 (an op
// that needs the key), 404/405 (route, method), 413 (body over 1 MiB), 501 (op not in this
// build), 500 (configuration). Bodies are built from the core's own JSON text, so every host of
// these routes answers with the same bytes.
import { createFlk } from 'fractal-lba';

const MAX_BODY_BYTES = 1 << 20;
const ERROR_PREFIX = '{"error":';

const reply = (status, text, headers = {}) =>
  new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
const fail = (status, code, message) =>
  reply(status, JSON.stringify({ error: { code, message } }), status === 401 ? { 'www-authenticate': 'Bearer' } : {});
const coreFail = (text) => {
  const { code } = JSON.parse(text).error;
  return reply(code === 'unknown_op' ? 501 : code === 'too_large' ? 413 : 400, text);
};

// A PCS verdict (accepted / escalated, as in the reference verifier) as a routing action.
const verdictAction = (v) => (v.accepted && !v.escalated ? 'accept' : v.escalated ? 'human_review' : 'reject');

// A configured member goes into the client's object byte for byte, so the client's fields reach
// the core exactly as sent (invalid UTF-8 included); a client that sends its own member of that
// name gets duplicate_key.
const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const firstNonSpace = (bytes) => bytes.findIndex((b) => !isSpace(b));
function withMember(body, name, value) {
  const open = firstNonSpace(body);
  if (open < 0 || body[open] !== 0x7b) return body; // not an object: the core says what is wrong with it
  const rest = body.subarray(open + 1);
  const head = new TextEncoder().encode(`{"${name}":${value}${rest[firstNonSpace(rest)] === 0x7d ? '' : ','}`);
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

// The body as bytes, so the core sees exactly what the client sent (invalid UTF-8 included).
async function readBody(request) {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return null;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length > MAX_BODY_BYTES ? null : bytes;
}

export default {
  async fetch(request, env) {
    const flk = await createFlk();
    const route = JSON.parse(
      flk.callJson(
        'gate.route',
        JSON.stringify({
          method: request.method,
          path: new URL(request.url).pathname,
          authorization: request.headers.get('authorization') ?? undefined,
          open_ops: env.FLK_OPEN_OPS,
          gate_key: env.FLK_GATE_KEY,
        }),
      ),
    );
    if (route.handler === 'refuse') return fail(route.status, route.code, route.message);
    const body = await readBody(request);
    if (body === null) return fail(413, 'too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
    const validJson = (text) => !flk.callJson('json.canonicalize', `{"value":${text}}`).startsWith(ERROR_PREFIX);

    if (route.handler === 'call') {
      const out = flk.callJson(route.op, body);
      return out.startsWith(ERROR_PREFIX) ? coreFail(out) : reply(200, out);
    }
    if (route.handler === 'score') {
      if (env.FLK_BANDS && !validJson(env.FLK_BANDS)) return fail(500, 'bad_config', 'FLK_BANDS is not valid JSON');
      const score = flk.callJson('hrs.score', body);
      if (score.startsWith(ERROR_PREFIX)) return coreFail(score);
      const input = { risk: JSON.parse(score).probability, bands: env.FLK_BANDS ? JSON.parse(env.FLK_BANDS) : undefined };
      const decision = flk.callJson('routing.decide', JSON.stringify(input));
      if (decision.startsWith(ERROR_PREFIX)) return coreFail(decision);
      return reply(200, `{"decision":${decision},"score":${score}}`);
    }
    if (route.handler === 'gate') {
      if (env.FLK_GATE_POLICY && !validJson(env.FLK_GATE_POLICY)) return fail(500, 'bad_config', 'FLK_GATE_POLICY is not valid JSON');
      if (env.FLK_BANDS && !validJson(env.FLK_BANDS)) return fail(500, 'bad_config', 'FLK_BANDS is not valid JSON');
      let input = body;
      if (env.FLK_BANDS) input = withMember(input, 'bands', env.FLK_BANDS);
      if (env.FLK_GATE_POLICY) input = withMember(input, 'policy', env.FLK_GATE_POLICY);
      const decision = flk.callJson('gate.decide', input);
      if (decision.startsWith(ERROR_PREFIX)) return coreFail(decision);
      return reply(JSON.parse(decision).http_status, `{"decision":${decision}}`);
    }
    if (!env.FLK_PCS_KEY) return fail(500, 'not_configured', 'FLK_PCS_KEY is not set; /verify needs the key PCS documents are signed with');
    if (!validJson(env.FLK_PCS_KEY)) return fail(500, 'bad_config', 'FLK_PCS_KEY is not valid JSON');
    const verdict = flk.callJson('pcs.verify', withMember(body, 'key', env.FLK_PCS_KEY));
    if (verdict.startsWith(ERROR_PREFIX)) return coreFail(verdict);
    return reply(200, `{"decision":{"action":"${verdictAction(JSON.parse(verdict))}"},"verdict":${verdict}}`);
  },
};
