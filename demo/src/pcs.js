// PCS page: crypto.ed25519_keypair, pcs.build (signed), pcs.verify on the PCS as built and on a
// copy with one field changed.
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, checkLimits, clearErrors, fieldError, h, limitField, show, showError, table } from './ui.js';

layout('PCS');

// Sample points: a noisy helix sampled every 0.1 s (a fixed pseudo-random stream, so every visit
// builds the same PCS for the same key).
let s = 1;
const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
const rows = Array.from({ length: 240 }, (_, i) => [(i / 10).toFixed(1), (Math.cos(i / 9) + noise()).toFixed(4), (Math.sin(i / 9) + noise()).toFixed(4), (i / 120 + noise()).toFixed(4)]);
$('#csv').value = ['timestamp,x,y,z', ...rows.map((r) => r.join(','))].join('\n');
limitField($('#csv'), 8 << 20);

let key = null;
let pcs = null;

$('#keygen').addEventListener('click', (ev) => busy(ev.currentTarget, async () => {
  key = await call('crypto.ed25519_keypair', {});
  show('#key', h('dt', {}, 'public key (hex)'), h('dd', { id: 'public-key' }, h('code', {}, key.public_key_hex)),
    h('dt', {}, 'seed'), h('dd', {}, 'kept in this page only'));
}));

const form = $('#build-form');
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(form);
  if (!checkLimits(form)) return;
  if (!key) {
    fieldError($('#build-general'), { code: 'no_key', message: 'generate a key first (step 1)' });
    return;
  }
  const epoch = $('#epoch').value;
  const input = {
    csv: $('#csv').value, shard_id: $('#shard').value, epoch: epoch === '' ? undefined : Number(epoch),
    sent_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), key: { alg: 'ed25519', seed_hex: key.seed_hex },
  };
  busy($('#build'), async () => {
    try {
      pcs = await call('pcs.build', input);
      const fields = ['pcs_id', 'D_hat', 'coh_star', 'r', 'regime', 'budget', 'merkle_root', 'sig'];
      show('#pcs-out', table(['field', 'value'], fields.map((f) => [f, h('code', {}, String(pcs[f]))]), 'Signed PCS'),
        h('details', {}, h('summary', {}, 'The whole PCS as JSON'), h('pre', {}, JSON.stringify(pcs, null, 1))));
      show('#verdicts');
    } catch (e) {
      show('#pcs-out');
      showError(form, e);
    }
  });
});

const vform = $('#verify-form');
async function verify(button, candidate, what) {
  clearErrors(vform);
  if (!pcs) {
    fieldError($('#verify-general'), { code: 'no_pcs', message: 'build a PCS first (step 2)' });
    return;
  }
  await busy(button, async () => {
    try {
      const v = await call('pcs.verify', { pcs: candidate, key: { alg: 'ed25519', public_key_hex: key.public_key_hex } });
      const good = v.status === 200;
      $('#verdicts').append(h('p', { class: `verdict ${good ? 'good' : 'bad'}` },
        `${what}: ${v.status} ${v.accepted ? 'accepted' : v.escalated ? 'escalated' : 'rejected'}`, v.reason ? ` — ${v.reason}` : ''));
    } catch (e) {
      showError(vform, e);
    }
  });
}

$('#verify').addEventListener('click', (ev) => verify(ev.currentTarget, pcs, 'as signed'));
$('#tamper').addEventListener('click', (ev) => {
  const field = $('#tamper-field').value;
  let value;
  try {
    value = JSON.parse($('#tamper-value').value);
  } catch {
    clearErrors(vform);
    fieldError($('#tamper-value'), { code: 'bad_json', message: 'not JSON: write 1.5 or "text"' });
    return;
  }
  verify(ev.currentTarget, { ...pcs, [field]: value }, `${field} changed to ${JSON.stringify(value)}`);
});
