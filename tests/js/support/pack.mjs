// npm pack the package and install the tarball into a fresh temporary project, as a user would:
// whatever the `files` whitelist or the exports map misses fails here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

// Returns { dir, tarball, files } for a temp project with fractal-lba in node_modules.
export function installPacked(name = 'consumer') {
  const dir = mkdtempSync(join(tmpdir(), `flk-${name}-`));
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], root));
  const tarball = join(dir, info.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-package-lock', tarball], dir);
  return { dir, tarball, files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}
