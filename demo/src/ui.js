// Small DOM helpers shared by the pages: element building, typed errors shown next to the field
// their path names, input size limits enforced on paste and on submit, and a busy state.
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v != null) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

export const $ = (sel) => document.querySelector(sel);

export function show(target, ...children) {
  const e = typeof target === 'string' ? $(target) : target;
  e.replaceChildren(...children.flat().filter((c) => c != null));
  return e;
}

const utf8 = new TextEncoder();
export const byteLength = (s) => utf8.encode(s).length;

export function formatBytes(n) {
  return n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`;
}

// Refuses a paste that would take the field over its byte limit, saying the limit.
export function limitField(field, maxBytes) {
  field.dataset.maxBytes = String(maxBytes);
  field.addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text') ?? '';
    const after = byteLength(field.value) - byteLength(field.value.slice(field.selectionStart, field.selectionEnd)) + byteLength(text);
    if (after > maxBytes) {
      ev.preventDefault();
      fieldError(field, { code: 'too_large', message: `paste refused: ${after} bytes, this field takes at most ${formatBytes(maxBytes)}` });
    }
  });
}

// Checks every limited field of a form; returns false (errors shown) when one is over.
export function checkLimits(form) {
  let ok = true;
  for (const f of form.querySelectorAll('[data-max-bytes]')) {
    const n = byteLength(f.value);
    if (n > Number(f.dataset.maxBytes)) {
      fieldError(f, { code: 'too_large', message: `${n} bytes, this field takes at most ${formatBytes(Number(f.dataset.maxBytes))}` });
      ok = false;
    }
  }
  return ok;
}

function errorSlot(field) {
  const id = `${field.id}-error`;
  let slot = document.getElementById(id);
  if (!slot) {
    slot = h('p', { id, class: 'field-error', role: 'alert' });
    field.after(slot);
  }
  field.setAttribute('aria-describedby', id);
  return slot;
}

export function fieldError(field, { code, message }) {
  field.setAttribute('aria-invalid', 'true');
  show(errorSlot(field), h('code', {}, code), ' ', message);
}

export function clearErrors(root) {
  for (const f of root.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
  for (const s of root.querySelectorAll('.field-error')) s.replaceChildren();
}

// A core error's path ($.answer, $.pcs.D_hat, …) picks the field whose data-path is its longest
// prefix; errors naming no field go to the form's general slot.
export function showError(form, err) {
  const path = err.path ?? '';
  let best = null;
  for (const f of form.querySelectorAll('[data-path]')) {
    const p = f.dataset.path;
    if ((path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) && (!best || p.length > best.dataset.path.length)) best = f;
  }
  fieldError(best ?? form.querySelector('.form-error-anchor'), { code: err.code ?? 'error', message: err.message });
}

export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export const fmt = (x, digits = 3) => (x == null ? '—' : Number(x).toFixed(digits));
export const usd = (x) => (x == null ? '—' : `$${Number(x).toFixed(Number(x) < 1 ? 4 : 2)}`);

export function table(headers, rows, caption) {
  return h('table', {}, caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}
