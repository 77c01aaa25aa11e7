// Compiled with tsc --noEmit by tests/js/types.test.mjs: the published types must accept this
// and reject the lines marked @ts-expect-error.
import { createFlk, FlkError, type Flk, type FlkScore, type FlkVerify } from 'fractal-lba';
import { createFlk as createWorkerFlk, type FlkWorker } from 'fractal-lba/web-worker';

async function main(): Promise<void> {
  const flk: Flk = await createFlk({ engine: 'wasm' });
  const d: string = flk.crypto.sha256({ data_text: 'abc' }).digest_hex;
  const v: boolean = flk.call('crypto.ed25519_verify', { public_key_b64: '', signature_b64: '', message_text: '' }).valid;
  const target: 'native' | 'emscripten' | 'wasi' = flk.version().target;
  const y: Float64Array = flk.fast.elementary('sigmoid', new Float64Array([0, 1]));
  const decision: 'accept' | 'rag_required' | 'human_review' | 'reject' = flk.routing.decide({ risk: y[0] }).action;
  const gate: 'accept' | 'escalate' | 'reject' = flk.verify({ answer: 'a', policy: { on_timeout: 'fail_closed' } }).decision;
  const voteStatus: 'ok' | 'timeout' | 'error' | 'skipped' = flk.verify({ answer: 'a' }).votes[0].status;
  // @ts-expect-error unknown failure mode
  flk.verify({ answer: 'a', policy: { on_error: 'retry' } });
  // @ts-expect-error unknown fast-path function
  flk.fast.elementary('cosh', [1]);
  // @ts-expect-error unknown op
  flk.call('crypto.md5', {});
  // @ts-expect-error wrong field type
  flk.crypto.sha256({ data_text: 5 });
  const lean: FlkVerify = await createFlk({ variant: 'verify' });
  const root: string = lean.call('merkle.root', { rows: ['a'], chunk_size: 1 }).merkle_root;
  // @ts-expect-error the verify variant has no hrs.* ops
  lean.hrs.score({ answer: 'a' });
  // @ts-expect-error the verify variant has no cost.* ops
  lean.call('cost.usage', {});
  // @ts-expect-error the verify variant has no ensemble gate
  lean.verify({ answer: 'a' });
  const scorer: FlkScore = await createFlk({ variant: 'score' });
  const risk: number = scorer.hrs.score({ answer: 'a' }).probability;
  scorer.verify({ answer: 'a' });
  // @ts-expect-error the score variant does not train
  scorer.hrs.train({ examples: [] });
  // @ts-expect-error the score variant has no cost.* ops
  scorer.call('cost.usage', {});
  const inWorker: FlkWorker = await createWorkerFlk({ variant: 'score' });
  const workerRisk: number = (await inWorker.hrs.score({ answer: 'a' })).probability;
  // @ts-expect-error a worker call answers with a promise
  const notYet: number = inWorker.hrs.score({ answer: 'a' }).probability;
  // @ts-expect-error functions cannot be posted to a worker
  await createWorkerFlk({ locateFile: () => '' });
  inWorker.terminate();
  try {
    flk.call('crypto.sha256', {});
  } catch (e) {
    if (e instanceof FlkError) console.log(e.code, e.path, d, v, target, decision, root, gate, voteStatus, risk, workerRisk, notYet);
  }
}
void main;
