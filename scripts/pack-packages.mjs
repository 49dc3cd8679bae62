#!/usr/bin/env node
// Packs the publishable packages as npm would publish them: compiled JavaScript and types (tsc), each package's
// `package.publish.json` as its package.json (its name, version and real dependencies), its README, its bin.
// The workspace manifests stay as they are (the repo runs the TypeScript sources through tsx).
// Usage: node scripts/pack-packages.mjs <destination folder>; prints the tarballs' paths, one per line.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** In dependency order: the CLI's types come from the library's. */
const PACKAGES = ['libs/signed-fetch', 'tools/signed-fetch'];

const destination = path.resolve(process.argv[2] ?? 'packages');
mkdirSync(destination, { recursive: true });
const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
for (const dir of PACKAGES) {
  const source = path.join(ROOT, dir);
  rmSync(path.join(source, 'dist'), { recursive: true, force: true });
  execFileSync(tsc, ['-p', path.join(source, 'tsconfig.build.json')], { stdio: 'inherit' });
  const staging = mkdtempSync(path.join(tmpdir(), 'pack-'));
  try {
    cpSync(path.join(source, 'dist'), path.join(staging, 'dist'), { recursive: true });
    for (const extra of ['bin', 'README.md'])
      if (existsSync(path.join(source, extra)))
        cpSync(path.join(source, extra), path.join(staging, extra), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(source, 'package.publish.json'), 'utf8'));
    writeFileSync(
      path.join(staging, 'package.json'),
      `${JSON.stringify({ ...manifest, files: ['dist', 'bin', 'README.md'] }, null, 2)}\n`,
    );
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
      cwd: staging,
      encoding: 'utf8',
    });
    console.log(path.join(destination, out.trim().split('\n').pop()));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
