// What a page of the built Vite app downloads: every file under /assets/ it fetched until its #out
// shows the result, each code file gzip -9 by Node's zlib, the scorer's data files (.gz already)
// as they are and apart. The budget (docs/edge.md, "Size budget") is for the code:
// 250 KB for a page that scores, signs and verifies. Shared by browser.test.mjs and the bench.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const PAGE_BUDGET = 250 * 1024;

// -> { files: [{ path, gzip, data }], code, data } (bytes)
export async function pageDownload(browser, server, dist, path) {
  const page = await browser.newPage();
  const fetched = new Set();
  page.on('request', (r) => fetched.add(new URL(r.url()).pathname));
  await page.goto(server.url + path);
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  await page.close();
  const files = [...fetched]
    .filter((f) => f.startsWith('/assets/'))
    .map((f) => {
      const bytes = readFileSync(join(dist, f));
      const data = f.endsWith('.gz');
      return { path: f, gzip: data ? bytes.length : gzipSync(bytes, { level: 9 }).length, data };
    });
  const sum = (xs) => xs.reduce((s, f) => s + f.gzip, 0);
  return { files, code: sum(files.filter((f) => !f.data)), data: sum(files.filter((f) => f.data)) };
}
