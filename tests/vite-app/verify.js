// A page that only signs, verifies and routes loads the lean module (flk-verify.wasm).
import { createFlk } from 'fractal-lba';

const flk = await createFlk({ variant: 'verify' });
const points = Array.from({ length: 64 }, (_, i) => [i % 7, (i * 3) % 11, i / 8]);
const key = { alg: 'ed25519', seed_hex: '11'.repeat(32) };
const pcs = flk.pcs.build({ points, shard_id: 'browser', epoch: 1, sent_at: '2025-01-19T12:00:00Z', key });
const { public_key_hex } = flk.crypto.ed25519_keypair({ seed_hex: key.seed_hex });
const { status } = flk.pcs.verify({ pcs, key: { alg: 'ed25519', public_key_hex } });
const { action } = flk.routing.decide({ risk: 0.5 });
document.querySelector('#out').textContent = JSON.stringify({ pcs_id: pcs.pcs_id, sig: pcs.sig, status, action, hrs: 'hrs' in flk });
