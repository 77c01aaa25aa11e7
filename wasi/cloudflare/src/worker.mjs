// A Cloudflare Worker that gates LLM answers with the verification core before they reach users.
//   POST /score      body: an hrs.score input   -> {"decision": <routing.decide>, "score": <hrs.score>}
//   POST /verify     body: a pcs.verify input   -> {"decision": {"action"}, "verdict": <pcs.verify>}
//   POST /call/<op>  body: any op's input       -> that op's output (the whole facade, by name)
// Errors are the core's typed errors, {"error":{"code","message","path"?}}, with HTTP 400 (bad
// input), 404/405 (route, method), 413 (body over 1 MiB), 501 (the op is not in this build) or
// 500 (FLK_BANDS is not JSON; a bad band policy is a 400 from routing.decide).
// The score bands come from the FLK_BANDS variable (a JSON array of routing.decide bands) or
// the core's default policy. Bodies are built from the core's own canonical JSON text, so every
// host of these routes (wasi/fastly too) answers with the same bytes.
import { createFlk } from 'fractal-lba';

const MAX_BODY_BYTES = 1 << 20;
const ERROR_PREFIX = '{"error":';

const reply = (status, text) => new Response(text, { status, headers: { 'content-type': 'application/json' } });
const fail = (status, code, message) => reply(status, JSON.stringify({ error: { code, message } }));
const coreFail = (text) => {
  const { code } = JSON.parse(text).error;
  return reply(code === 'unknown_op' ? 501 : code === 'too_large' ? 413 : 400, text);
};

// A PCS verdict (accepted / escalated, as in the reference verifier) as a routing action.
const verdictAction = (v) => (v.accepted && !v.escalated ? 'accept' : v.escalated ? 'human_review' : 'reject');

async function readBody(request) {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return null;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length > MAX_BODY_BYTES ? null : new TextDecoder().decode(bytes);
}

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    const op = path.startsWith('/call/') ? path.slice(6) : null;
    if (!op && path !== '/score' && path !== '/verify') return fail(404, 'not_found', `no route ${path}`);
    if (request.method !== 'POST') return fail(405, 'method_not_allowed', `${path} takes POST`);
    const body = await readBody(request);
    if (body === null) return fail(413, 'too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
    const flk = await createFlk();

    if (op) {
      const out = flk.callJson(op, body);
      return out.startsWith(ERROR_PREFIX) ? coreFail(out) : reply(200, out);
    }
    if (path === '/score') {
      const score = flk.callJson('hrs.score', body);
      if (score.startsWith(ERROR_PREFIX)) return coreFail(score);
      let bands = {};
      try {
        if (env.FLK_BANDS) bands = { bands: JSON.parse(env.FLK_BANDS) };
      } catch (e) {
        return fail(500, 'bad_config', `FLK_BANDS is not JSON: ${e.message}`);
      }
      const decision = flk.callJson('routing.decide', JSON.stringify({ risk: JSON.parse(score).probability, ...bands }));
      if (decision.startsWith(ERROR_PREFIX)) return coreFail(decision);
      return reply(200, `{"decision":${decision},"score":${score}}`);
    }
    const verdict = flk.callJson('pcs.verify', body);
    if (verdict.startsWith(ERROR_PREFIX)) return coreFail(verdict);
    return reply(200, `{"decision":{"action":"${verdictAction(JSON.parse(verdict))}"},"verdict":${verdict}}`);
  },
};
