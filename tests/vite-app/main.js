import { createFlk } from 'fractal-lba';

const flk = await createFlk(); // fetches flk.wasm, which Vite emits next to the bundle
const { digest_hex } = flk.crypto.sha256({ data_text: 'abc' });
const { signature_hex } = flk.crypto.ed25519_sign({ seed_hex: '11'.repeat(32), message_text: 'answer #1' });
const { action } = flk.routing.decide({ risk: 0.42 });
document.querySelector('#out').textContent = JSON.stringify({ digest_hex, signature_hex, action });
