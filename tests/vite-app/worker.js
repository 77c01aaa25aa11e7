// The engine in a Web Worker (fractal-lba/web-worker): the same calls, as promises.
import { createFlk, FlkError } from 'fractal-lba/web-worker';

const flk = await createFlk({ variant: 'score' });
const { probability, interval } = await flk.hrs.score({
  question: 'Who wrote Hamlet?',
  context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
  answer: 'Hamlet was written by Christopher Marlowe in 1620.',
});
const { action } = await flk.routing.decide({ risk: probability });
const sigmoid = Array.from(await flk.fast.elementary('sigmoid', [0, 2, -3]));
let error;
try {
  await flk.crypto.sha256({ data_hex: 'zz' });
} catch (e) {
  error = { flk: e instanceof FlkError, code: e.code, path: e.path };
}
flk.terminate();
const after = await flk.version().then(() => 'answered', (e) => e.message);
document.querySelector('#out').textContent = JSON.stringify({ probability, interval, action, sigmoid, error, after, variant: flk.variant });
