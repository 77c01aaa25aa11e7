// Writes the demo's offline samples into demo/data/ from the shared data (FLK_SHARED_DIR, default
// ../shared next to the repo): real examples and a real NAB series copied as they are, plus a
// synthetic usage ledger and a FOCUS bill derived from it (no real LLM bill is public).
// Deterministic: the same shared data gives the same files. Run: node demo/make-data.mjs
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.FLK_SHARED_DIR ?? join(here, '../../shared');
const data = join(shared, 'data');
const out = join(here, 'data');
mkdirSync(join(out, 'LICENSES'), { recursive: true });

const readJsonl = (name) => readFileSync(join(data, `${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const size = (e) => e.question.length + e.context.length + e.answer.length;
const pick = ({ id, source, task, question, context, answer, label }) => ({ id, source, task, question, context, answer, label });

// Verify page: one faithful and one hallucinated example per set that has a context (files are in id order).
const examples = [];
for (const [name, max] of [['halueval_qa', 900], ['begin_dialogue', 700], ['summedits', 1500]])
  for (const label of [0, 1]) examples.push(pick(readJsonl(name).find((e) => e.label === label && e.context && size(e) <= max)));
writeFileSync(join(out, 'examples.json'), JSON.stringify(examples, null, 1) + '\n');

// Model page: the first PER_LABEL examples of each label per set, under a size cap to keep the page light.
const PER_LABEL = 30;
const sets = ['halueval_qa', 'halueval_qa_samples', 'halueval_general', 'truthfulqa', 'begin_dialogue', 'summedits'];
const evalSet = [];
for (const name of sets)
  for (const label of [0, 1]) evalSet.push(...readJsonl(name).filter((e) => e.label === label && size(e) <= 2000).slice(0, PER_LABEL).map(pick));
writeFileSync(join(out, 'eval-sample.json'), JSON.stringify(evalSet) + '\n');

// Anomaly page: one real NAB series with its labelled windows.
const series = 'realKnownCause/ec2_request_latency_system_failure.csv';
const csv = readFileSync(join(data, 'anomaly/nab/data', series), 'utf8').trim().split('\n').slice(1);
const windows = JSON.parse(readFileSync(join(data, 'anomaly/nab/labels/combined_windows.json'), 'utf8'))[series];
writeFileSync(join(out, 'nab.json'), JSON.stringify({
  series, windows,
  times: csv.map((l) => Date.parse(l.split(',')[0].replace(' ', 'T') + 'Z') / 1000),
  values: csv.map((l) => Number(l.split(',')[1])),
}) + '\n');

// Cost page: 28 days of usage for three tenants on three models (a fixed pseudo-random stream),
// and a FOCUS bill whose daily rows are the ledger's prices with one day over-billed.
let s = 7;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const models = [
  { model: 'gpt-4o-mini', provider: 'openai', api: 'openai.chat', usage: (i, o) => ({ prompt_tokens: i, completion_tokens: o }) },
  { model: 'gpt-4o', provider: 'openai', api: 'openai.chat', usage: (i, o) => ({ prompt_tokens: i, completion_tokens: o }) },
  { model: 'claude-3-5-haiku-20241022', provider: 'anthropic', api: 'anthropic.messages', usage: (i, o) => ({ input_tokens: i, output_tokens: o }) },
];
const tenants = [['acme', 1.0], ['globex', 0.6], ['initech', 0.3]];
const events = [];
for (let d = 1; d <= 28; d++) {
  const day = `2025-09-${String(d).padStart(2, '0')}`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const load = (weekday === 0 || weekday === 6 ? 0.5 : 1) * (1 + d / 40);
  for (const [tenant, share] of tenants)
    for (const [mi, m] of models.entries()) {
      const n = Math.round((mi === 1 ? 2 : 4) * share * load + rand() * 2);
      for (let k = 0; k < n; k++) {
        const input = 500 + Math.floor(rand() * 3000);
        const output = 100 + Math.floor(rand() * 700);
        events.push({
          event_id: `${day}-${tenant}-${mi}-${k}`, tenant, task: k % 3 === 0 ? 'summarize' : 'support_chat',
          timestamp: `${day}T${String(8 + (k % 12)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00Z`,
          verified: rand() < 0.85, provider: m.provider, api: m.api, model: m.model, usage: m.usage(input, output),
        });
      }
    }
}
writeFileSync(join(out, 'ledger.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
for (const f of ['anomaly/LICENSES/NAB.MIT.txt', 'LICENSES/HaluEval.MIT.txt', 'LICENSES/factualNLG.Apache-2.0.txt',
  'LICENSES/kakeya.MIT.txt', 'LICENSES/BEGIN.README-LICENSE.txt', 'LICENSES/BEGIN-cmu-dog.NOTICE.txt',
  'LICENSES/BEGIN-wow.NOTICE.txt', 'LICENSES/BEGIN-topicalchat.NOTICE.txt', 'LICENSES/BEGIN-cmu-dog.CC-BY-4.0.txt', 'LICENSES/BEGIN-wow.CC-BY-4.0.txt',
  'LICENSES/BEGIN-topicalchat.CDLA-Sharing-1.0.txt'])
  copyFileSync(join(data, f), join(out, 'LICENSES', f.split('/').pop()));
// Policy page: the repo's own sample policies and recorded trace (tests/data/policy), unchanged.
for (const [from, to] of [['routing.json', 'policy-routing.json'], ['routing-strict.json', 'policy-routing-strict.json'], ['trace.jsonl', 'policy-trace.jsonl']])
  copyFileSync(join(here, '../tests/data/policy', from), join(out, to));
