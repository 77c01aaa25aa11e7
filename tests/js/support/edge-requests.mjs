// Requests for the edge gate's routes, answered by the Cloudflare Worker (in workerd) and the
// Fastly program alike. `status` is the expected HTTP status; `needs` names an op that has to be
// in the build for the request to make sense, `absent` one that must not be (hrs.score and
// pcs.verify land separately; until then their routes answer 501 unknown_op).
export const MAX_BODY_BYTES = 1 << 20;

export const requests = [
  { name: 'an op by name', path: '/call/crypto.sha256', body: '{"data_text":"abc"}', status: 200 },
  { name: 'routing.decide by name', path: '/call/routing.decide', body: '{"risk":0.42}', status: 200 },
  { name: 'the version op', path: '/call/version', body: '{}', status: 200 },
  { name: 'malformed JSON', path: '/call/crypto.sha256', body: '{"data_text":', status: 400 },
  { name: 'a typed error with a path', path: '/call/routing.decide', body: '{"risk":2}', status: 400 },
  { name: 'an unknown op', path: '/call/no.such_op', body: '{}', status: 501 },
  { name: 'an unknown route', path: '/nope', body: '{}', status: 404 },
  { name: 'a GET', method: 'GET', path: '/score', body: '', status: 405 },
  { name: 'a body over 1 MiB', path: '/call/crypto.sha256', body: `{"data_text":"${'x'.repeat(MAX_BODY_BYTES)}"}`, status: 413 },
  { name: 'a body of exactly 1 MiB', path: '/call/crypto.sha256', body: `{"data_text":"${'x'.repeat(MAX_BODY_BYTES - 16)}"}`, status: 200 },
  {
    name: 'score an answer',
    path: '/score',
    body: JSON.stringify({
      question: 'What is the capital of France?',
      context: 'Paris is the capital and largest city of France.',
      answer: 'The capital of France is Paris.',
    }),
    status: 200,
    needs: 'hrs.score',
  },
  { name: 'score: bad input', path: '/score', body: '{"question":"q"}', status: 400, needs: 'hrs.score' },
  { name: 'verify: bad input', path: '/verify', body: '{}', status: 400, needs: 'pcs.verify' },
  { name: 'score without hrs.score in the build', path: '/score', body: '{}', status: 501, absent: 'hrs.score' },
  { name: 'verify without pcs.verify in the build', path: '/verify', body: '{}', status: 501, absent: 'pcs.verify' },
];
