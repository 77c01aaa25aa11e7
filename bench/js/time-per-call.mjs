// Nanoseconds per call of fn: repeated in blocks of 16 until budgetMs is spent, after a warm-up.
export function timePerCall(fn, budgetMs) {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    t = process.hrtime.bigint();
  } while (Number(t - t0) / 1e6 < budgetMs);
  return Number(t - t0) / n;
}
