import { createFlk, FlkError } from 'fractal-lba';

const flk = await createFlk();
const { seed_hex, public_key_hex } = flk.crypto.ed25519_keypair({ seed_hex: '11'.repeat(32) });
const { signature_hex } = flk.crypto.ed25519_sign({ seed_hex, message_text: 'answer #1' });
console.log(flk.crypto.ed25519_verify({ public_key_hex, signature_hex, message_text: 'answer #1' }).valid); // true
console.log(flk.routing.decide({ risk: 0.42 }).action); // rag_required
try {
  flk.routing.decide({ risk: 1.5 });
} catch (e) {
  if (e instanceof FlkError) console.log(e.code, e.path); // out_of_range $.risk
}
