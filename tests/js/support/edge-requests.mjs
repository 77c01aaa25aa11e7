// Requests for the edge gate's routes, answered by the Cloudflare Worker (in workerd) and the
// Fastly program alike. Each runs against one configuration (`service`, see SERVICES); `status`
// is the expected HTTP status, `action` the expected decision, `authorization` the header sent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './pack.mjs';

export const MAX_BODY_BYTES = 1 << 20;

const HMAC_KEY = '{"alg":"hmac","key_text":"testsecret"}';
export const BANDS = [
  { name: 'fine', min_risk: 0, max_risk: 0.5, action: 'accept' },
  { name: 'doubtful', min_risk: 0.5, max_risk: 1, action: 'human_review' },
];

// The token that opens the ops off the open list.
export const GATE_KEY = 'gate-key-of-the-edge-tests';
export const BEARER = `Bearer ${GATE_KEY}`;

// The gate's settings (Worker variables / Fastly stores / command-mode environment) per service.
export const SERVICES = {
  gate: { FLK_PCS_KEY: HMAC_KEY, FLK_GATE_KEY: GATE_KEY },
  banded: { FLK_PCS_KEY: HMAC_KEY, FLK_BANDS: JSON.stringify(BANDS) },
  opened: { FLK_OPEN_OPS: 'version, cost.catalog.get', FLK_GATE_KEY: GATE_KEY },
  bare: {},
  // The verification gate with a policy that fails closed when grounding times out (a drill).
  strict: { FLK_GATE_POLICY: JSON.stringify({ inject: { grounding: 'timeout' }, on_timeout: 'fail_closed' }) },
  broken: { FLK_PCS_KEY: '{"alg":', FLK_BANDS: '[{]', FLK_GATE_POLICY: '{', FLK_OPEN_OPS: 'version;crypto.sha256', FLK_GATE_KEY: 'short' },
};

// Ops that change what later clients of the same isolate get: none is open without the key.
export const STATE_CHANGING_OPS = [
  'cost.catalog.load',
  'cost.catalog.import_litellm',
  'cost.catalog.reset',
  'cost.ledger.record',
  'cost.ledger.reset',
  'cost.billing.import',
  'cost.billing.begin',
  'cost.billing.reset',
  'hrs.model_load',
  'hrs.ab_set',
  'pcs.submit',
];

// The spec's golden PCS (tests/golden/pcs.json, signed with HMAC "testsecret") as /verify
// bodies: as given, tampered, and re-signed with a budget the verifier escalates.
function pcsBodies(call) {
  const golden = JSON.parse(readFileSync(join(root, 'tests/golden/pcs.json'), 'utf8')).cases;
  const text = golden.find((c) => c.name === '§9.1 golden case 1 verifies (HMAC)').input_json;
  const pcs = JSON.parse(text).pcs;
  const signed = (p) => call('pcs.sign', JSON.stringify({ pcs: p, key: JSON.parse(HMAC_KEY) }));
  return {
    golden: `{"pcs": ${text.slice(text.indexOf('{', 1), text.lastIndexOf(', "key"'))}}`,
    tampered: JSON.stringify({ pcs: { ...pcs, shard_id: 'another-shard' } }),
    escalated: `{"params":{"budget_tol":0.001},"pcs":${signed({ ...pcs, budget: 0.33 })}}`,
  };
}

// POST /gate bodies: gate.decide requests (the same as tests/golden/make_gate_decide.mjs).
const tower = 'The Eiffel Tower was finished in March 1889 for the World Fair. It is 330 metres tall.';
const gateBody = (answer, extra = {}) => JSON.stringify({ question: 'When was the tower finished?', context: tower, answer, ...extra });
export const GATE_RIGHT = gateBody('It was finished in March 1889 for the World Fair.');
// A JSON text's bytes with one byte put inside its first string value.
const withByte = (text, byte) => {
  const bytes = new TextEncoder().encode(text);
  const at = bytes.indexOf(0x22, bytes.indexOf(0x3a)) + 1;
  return Uint8Array.of(...bytes.subarray(0, at), byte, ...bytes.subarray(at));
};

export function edgeRequests(call) {
  const pcs = pcsBodies(call);
  return [
    { name: 'an op by name', path: '/call/crypto.sha256', body: '{"data_text":"abc"}', status: 200 },
    { name: 'routing.decide by name', path: '/call/routing.decide', body: '{"risk":0.42}', status: 200 },
    { name: 'the version op', path: '/call/version', body: '{}', status: 200 },
    { name: 'malformed JSON', path: '/call/crypto.sha256', body: '{"data_text":', status: 400 },
    { name: 'a typed error with a path', path: '/call/routing.decide', body: '{"risk":2}', status: 400 },
    { name: 'an unknown op, anonymous', path: '/call/no.such_op', body: '{}', status: 401 },
    { name: 'an unknown op, keyed', path: '/call/no.such_op', body: '{}', authorization: BEARER, status: 501 },
    ...STATE_CHANGING_OPS.map((op) => ({ name: `anonymous ${op}`, path: `/call/${op}`, body: '{}', status: 401 })),
    { name: 'a wrong key', path: '/call/cost.catalog.reset', body: '{}', authorization: `${BEARER}!`, status: 401 },
    { name: 'another scheme', path: '/call/cost.catalog.reset', body: '{}', authorization: `Basic ${GATE_KEY}`, status: 401 },
    { name: 'keyed cost.catalog.reset', path: '/call/cost.catalog.reset', body: '{}', authorization: BEARER, status: 200 },
    { name: 'keyed hrs.models', path: '/call/hrs.models', body: '{}', authorization: `bearer ${GATE_KEY}`, status: 200 },
    { name: 'keyed, bad input', path: '/call/cost.ledger.record', body: '{"nope":1}', authorization: BEARER, status: 400 },
    { name: 'an open op ignores the key', path: '/call/version', body: '{}', authorization: 'Bearer wrong', status: 200 },
    { name: 'no gate key configured', service: 'bare', path: '/call/cost.catalog.load', body: '{}', authorization: BEARER, status: 403 },
    { name: 'FLK_OPEN_OPS: a listed op', service: 'opened', path: '/call/cost.catalog.get', body: '{}', status: 200 },
    { name: 'FLK_OPEN_OPS: a default op left out', service: 'opened', path: '/call/crypto.sha256', body: '{"data_text":"abc"}', status: 401 },
    { name: 'FLK_OPEN_OPS: a default op left out, keyed', service: 'opened', path: '/call/crypto.sha256', body: '{"data_text":"abc"}', authorization: BEARER, status: 200 },
    { name: 'a broken FLK_OPEN_OPS', service: 'broken', path: '/call/version', body: '{}', status: 500 },
    { name: 'a body over 1 MiB, refused before it is read', path: '/call/cost.catalog.load', body: 'x'.repeat(MAX_BODY_BYTES + 1), status: 401 },
    { name: 'an unknown route', path: '/nope', body: '{}', status: 404 },
    { name: 'a GET', method: 'GET', path: '/score', body: '', status: 405 },
    { name: 'a body over 1 MiB', path: '/call/crypto.sha256', body: `{"data_text":"${'x'.repeat(MAX_BODY_BYTES)}"}`, status: 413 },
    { name: 'a body of exactly 1 MiB', path: '/call/crypto.sha256', body: `{"data_text":"${'x'.repeat(MAX_BODY_BYTES - 16)}"}`, status: 200 },
    { name: 'verify the golden PCS', path: '/verify', body: pcs.golden, status: 200, action: 'accept' },
    { name: 'verify a tampered PCS', path: '/verify', body: pcs.tampered, status: 200, action: 'reject' },
    { name: 'verify a PCS the verifier escalates', path: '/verify', body: pcs.escalated, status: 200, action: 'human_review' },
    { name: 'verify: a client-sent key is refused', path: '/verify', body: `{"key":${HMAC_KEY},${pcs.golden.slice(1)}`, status: 400 },
    { name: 'verify: an empty object', path: '/verify', body: ' { } ', status: 400 },
    { name: 'verify: not an object', path: '/verify', body: '[1]', status: 400 },
    { name: 'verify: malformed JSON', path: '/verify', body: '{"pcs":', status: 400 },
    { name: 'verify without FLK_PCS_KEY', service: 'bare', path: '/verify', body: pcs.golden, status: 500 },
    { name: 'verify with a broken FLK_PCS_KEY', service: 'broken', path: '/verify', body: pcs.golden, status: 500 },
    { name: 'score with broken FLK_BANDS', service: 'broken', path: '/score', body: '{}', status: 500 },
    {
      name: 'score an answer',
      path: '/score',
      body: JSON.stringify({
        question: 'What is the capital of France?',
        context: 'Paris is the capital and largest city of France.',
        answer: 'The capital of France is Paris.',
      }),
      status: 200,
    },
    { name: 'score: bad input', path: '/score', body: '{"question":"q"}', status: 400 },
    { name: 'gate: a faithful answer is accepted', path: '/gate', body: GATE_RIGHT, status: 200, action: 'accept' },
    { name: 'gate: a wrong year is rejected', path: '/gate', body: gateBody('The tower was finished in 1899.'), status: 409, action: 'reject' },
    { name: 'gate: split voters escalate', path: '/gate', body: gateBody('The tower was finished in 1899 for the World Fair.'), status: 202, action: 'escalate' },
    { name: 'gate: FLK_BANDS route the risk', service: 'banded', path: '/gate', body: GATE_RIGHT, status: 200, action: 'accept' },
    { name: 'gate: fail_closed holds at the edge', service: 'strict', path: '/gate', body: GATE_RIGHT, status: 409, action: 'reject' },
    { name: 'gate: a client-sent policy is refused', service: 'strict', path: '/gate', body: gateBody('x', { policy: { n: 1 } }), status: 400 },
    { name: 'gate: an unknown field', path: '/gate', body: gateBody('x', { verdict: 'accept' }), status: 400 },
    { name: 'gate: a budget over its cap rejects', path: '/gate', body: gateBody('It was finished in March 1889 for the World Fair.', { usage: { cost_usd: 2 }, budget: { cap_usd: 1, spent_usd: 0 } }), status: 409, action: 'reject' },
    { name: 'gate with a broken FLK_GATE_POLICY', service: 'broken', path: '/gate', body: GATE_RIGHT, status: 500 },
    // Bodies reach the core as bytes: a host that decoded them as text would turn the 0xFF into
    // U+FFFD and accept the request.
    { name: 'gate: invalid UTF-8 with a configured policy', service: 'strict', path: '/gate', body: withByte(GATE_RIGHT, 0xff), status: 400 },
    { name: 'gate: invalid UTF-8 with configured bands', service: 'banded', path: '/gate', body: withByte(GATE_RIGHT, 0xff), status: 400 },
    { name: 'verify: invalid UTF-8', path: '/verify', body: withByte(pcs.golden, 0xff), status: 400 },
  ];
}
