// A page that scores answers, signs and verifies loads the score variant (flk-score.wasm) and
// the default HRS model file, fetched while the module compiles.
import { createFlk } from 'fractal-lba';

const flk = await createFlk({ variant: 'score' });
const { probability, interval } = flk.hrs.score({
  question: 'Who wrote Hamlet?',
  context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
  answer: 'Hamlet was written by Christopher Marlowe in 1620.',
});
const { action } = flk.routing.decide({ risk: probability });
const points = Array.from({ length: 64 }, (_, i) => [i % 7, (i * 3) % 11, i / 8]);
const key = { alg: 'ed25519', seed_hex: '11'.repeat(32) };
const pcs = flk.pcs.build({ points, shard_id: 'browser', epoch: 1, sent_at: '2025-01-19T12:00:00Z', key });
const { public_key_hex } = flk.crypto.ed25519_keypair({ seed_hex: key.seed_hex });
const { status } = flk.pcs.verify({ pcs, key: { alg: 'ed25519', public_key_hex } });
document.querySelector('#out').textContent = JSON.stringify({ probability, interval, action, pcs_id: pcs.pcs_id, sig: pcs.sig, status, cost: 'cost' in flk });
