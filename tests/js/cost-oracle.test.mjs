// cost.usage against an independent oracle: genai-prices' usages.json holds 1,577 real API usage
// blocks (from pydantic-ai's recorded cassettes) with the input and output prices genai-prices
// computed for them. For every body whose flavour we model, we give cost.usage the raw usage block
// and a one-model catalog with genai-prices' own prices for that model, then require the same
// input-side and output-side USD (to the nano-dollar our money type rounds to). This checks
// token extraction and each provider's cached-token rule on real data, not on our own examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadWasm } from '../../js/load-wasm.mjs';
import { root } from './engines.mjs';

const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const dir = `${shared}/data/prices/genai-prices`;

// genai-prices extractor (provider id, api flavour) → our api id and provider name.
const FLAVOURS = {
  'anthropic/default': ['anthropic.messages', 'anthropic'],
  'openai/chat': ['openai.chat', 'openai'],
  'openai/responses': ['openai.responses', 'openai'],
  'google/default': ['gemini', 'gcp.gemini'],
  'aws/default': ['bedrock.converse', 'aws.bedrock'],
  'deepseek/chat': ['deepseek.chat', 'deepseek'],
  'x-ai/chat': ['xai.chat', 'x_ai'],
  'mistral/default': ['openai.chat', 'mistral_ai'],
  'groq/default': ['openai.chat', 'groq'],
};
// genai-prices price keys → ours (web_searches_kcount is per thousand).
const KEYS = {
  input_mtok: 'input_mtok', output_mtok: 'output_mtok', cache_read_mtok: 'cache_read_mtok',
  cache_write_mtok: 'cache_write_mtok', cache_write_1h_mtok: 'cache_write_1h_mtok',
  input_audio_mtok: 'input_audio_mtok', cache_audio_read_mtok: 'cache_audio_read_mtok', output_audio_mtok: 'output_audio_mtok',
};
const INPUT_SIDE = ['input', 'cache_read', 'cache_write', 'cache_write_1h', 'input_audio', 'cache_audio_read'];
const OUTPUT_SIDE = ['output', 'reasoning', 'output_audio'];

const matches = (rule, name) =>
  rule.or ? rule.or.some((r) => matches(r, name)) :
  rule.and ? rule.and.every((r) => matches(r, name)) :
  'equals' in rule ? name === rule.equals :
  'starts_with' in rule ? name.startsWith(rule.starts_with) :
  'contains' in rule ? name.includes(rule.contains) :
  'regex' in rule ? new RegExp(rule.regex).test(name) : false;

// Exact decimal strings (plain or with an exponent) → integer nano-dollars (BigInt), rounding half
// to even like the core.
function nanos(text) {
  const m = /^(-?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(text);
  assert.ok(m, `not a decimal: ${text}`);
  const [, sign, w, f, e] = m;
  const mant = BigInt(w + f || '0');
  const k = Number(e ?? 0) - f.length + 9;  // value · 10^9 = mant · 10^k
  let v;
  if (k >= 0) v = mant * 10n ** BigInt(k);
  else {
    const d = 10n ** BigInt(-k);
    v = mant / d;
    const r2 = (mant % d) * 2n;
    if (r2 > d || (r2 === d && v % 2n === 1n)) v += 1n;
  }
  return sign ? -v : v;
}

// Our price value for a genai price (number or {base, tiers}); null when it has a shape we skip.
function convert(prices) {
  const out = { prices: {}, context_tiers: [] };
  for (const [k, v] of Object.entries(prices)) {
    if (k === 'web_searches_kcount') {
      out.prices.per_web_search = String(v / 1000);
      continue;
    }
    if (!KEYS[k]) return null;  // image / video prices: not modelled here
    if (typeof v === 'number') {
      out.prices[KEYS[k]] = String(v);
    } else {
      out.prices[KEYS[k]] = String(v.base);
      for (const t of v.tiers) {
        let tier = out.context_tiers.find((c) => c.above_input_tokens === t.start);
        if (!tier) out.context_tiers.push((tier = { above_input_tokens: t.start, prices: {} }));
        tier.prices[KEYS[k]] = String(t.price);
      }
    }
  }
  out.context_tiers.sort((a, b) => a.above_input_tokens - b.above_input_tokens);
  return out;
}

test('cost.usage matches genai-prices on real usage blocks', { skip: !existsSync(`${dir}/usages.json`) && `no ${dir}` }, async () => {
  const data = JSON.parse(readFileSync(`${dir}/data.json`, 'utf8'));
  const usages = JSON.parse(readFileSync(`${dir}/usages.json`, 'utf8'));
  const { callRaw } = await loadWasm();
  const providers = Object.fromEntries(data.map((p) => [p.id, p]));
  const stats = { compared: 0, byFlavour: {}, skipped: {} };
  const skip = (why) => (stats.skipped[why] = (stats.skipped[why] ?? 0) + 1);
  const mismatches = [];
  for (const { body, extracted } of usages) {
    const usage = body.usage ?? body.usageMetadata;
    const model = body.model ?? body.modelVersion;
    if (!usage || !model) continue;
    for (const group of extracted) {
      for (const ex of group.extractors) {
        const flavour = `${ex.provider_id}/${ex.api_flavor}`;
        if (!FLAVOURS[flavour] || ex.input_price === undefined) continue;
        const gm = providers[ex.provider_id].models.find((m) => matches(m.match, model));
        if (!gm) { skip('no genai model'); continue; }
        if (Array.isArray(gm.prices)) { skip('dated price list'); continue; }
        const conv = convert(gm.prices);
        if (!conv) { skip('image/video prices'); continue; }
        const [api, provider] = FLAVOURS[flavour];
        const entry = { provider, model, source: 'genai', prices: conv.prices };
        if (conv.context_tiers.length) entry.context_tiers = conv.context_tiers;
        const catalog = { format: 'flk.price_catalog.v1', version: 'genai', sources: [{ id: 'genai', name: 'genai-prices' }], models: [entry] };
        const out = JSON.parse(callRaw('cost.usage', JSON.stringify({ api, provider, model, usage, catalog })));
        if (out.error?.code === 'missing_price' && /audio/.test(out.error.message)) {
          // genai-prices prices some audio models' audio tokens as text; we refuse rather than guess.
          skip('audio tokens without an audio price (refused by design)');
          continue;
        }
        if (out.error) {
          mismatches.push({ flavour, model, file: body.file, error: out.error.code, message: out.error.message });
          continue;
        }
        const side = (dims) => dims.reduce((s, d) => s + (out.cost_usd[d] ? nanos(out.cost_usd[d]) : 0n), 0n);
        let inSide = side(INPUT_SIDE), outSide = side(OUTPUT_SIDE);
        const search = out.cost_usd.web_search ? nanos(out.cost_usd.web_search) : 0n;
        const wantIn = nanos(ex.input_price), wantOut = nanos(ex.output_price ?? '0');
        // Our money rounds each line to a nano-dollar; allow one per line.
        const tol = BigInt(Object.keys(out.cost_usd).length);
        const close = (a, b) => (a > b ? a - b : b - a) <= tol;
        if (!(close(inSide, wantIn) || close(inSide + search, wantIn)) || !(close(outSide, wantOut) || close(outSide + search, wantOut)))
          mismatches.push({ flavour, model, file: body.file, ours: [String(inSide), String(outSide)], theirs: [ex.input_price, ex.output_price] });
        stats.compared++;
        stats.byFlavour[flavour] = (stats.byFlavour[flavour] ?? 0) + 1;
      }
    }
  }
  console.log(JSON.stringify({ ...stats, mismatches: mismatches.length }));
  assert.ok(stats.compared >= 500, `only ${stats.compared} comparisons`);
  for (const f of ['anthropic/default', 'openai/chat', 'openai/responses', 'google/default'])
    assert.ok((stats.byFlavour[f] ?? 0) >= 10, `${f}: ${stats.byFlavour[f] ?? 0} comparisons`);
  assert.deepEqual(mismatches.slice(0, 5), []);
  assert.ok((stats.skipped['audio tokens without an audio price (refused by design)'] ?? 0) <= 5);
});
