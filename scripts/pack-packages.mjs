#!/usr/bin/env node
// Packs the publishable packages as npm would publish them: compiled JavaScript and types (tsc, each package's
// tsconfig.build.json), each package's `package.publish.json` as its package.json (its name, version and real
// dependencies), its README, its bin and the non-TypeScript files it runs. The workspace manifests stay as they
// are (the repo runs the TypeScript sources through tsx).
// Usage: node scripts/pack-packages.mjs <destination folder> [package name...]; prints the tarballs' paths, one per
// line. With names (e.g. @sigv4-auth/signed-fetch-cli), packs those and the packages they depend on.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildConsolePage } from '../tools/local-cloud/console-page/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * In dependency order (a package's types are compiled against the `dist/` of those before it). `assets`: files and
 * folders tsc does not emit, `[from the repo root, to the package root]`; `prepare`: builds those that are built.
 */
const PACKAGES = [
  { dir: 'libs/sigv4-verifier' },
  { dir: 'libs/signed-fetch' },
  { dir: 'libs/lambda-http' },
  { dir: 'libs/jwt-authorizer' },
  { dir: 'tools/signed-fetch' },
  {
    dir: 'tools/local-cloud',
    assets: [
      ['tools/local-cloud/src/lambda/runtime-process.js', 'dist/lambda/runtime-process.js'],
      ['tools/local-cloud/src/idp/oidc-worker.mjs', 'dist/idp/oidc-worker.mjs'],
      // LOCAL_IDENTITIES_FILE: the identities seeded by default.
      ['infra/local/identities.json', 'identities.json'],
      // The console page, built by Vite (`console-page/build.mjs`): served offline from the package.
      ['tools/local-cloud/console-page/dist', 'console'],
    ],
    prepare: buildConsolePage,
  },
].map((entry) => ({
  ...entry,
  manifest: JSON.parse(readFileSync(path.join(ROOT, entry.dir, 'package.publish.json'), 'utf8')),
}));

const [destinationArgument = 'packages', ...wanted] = process.argv.slice(2);
const destination = path.resolve(destinationArgument);

/** The named packages and, transitively, the packages of this repo they depend on. */
function selection(names) {
  if (names.length === 0) return PACKAGES;
  const byName = new Map(PACKAGES.map((entry) => [entry.manifest.name, entry]));
  const chosen = new Set();
  const visit = (name) => {
    const entry = byName.get(name);
    if (!entry) throw new Error(`No package ${name} here: ${[...byName.keys()].join(', ')}`);
    if (chosen.has(entry)) return;
    chosen.add(entry);
    for (const dependency of Object.keys(entry.manifest.dependencies ?? {}))
      if (byName.has(dependency)) visit(dependency);
  };
  names.forEach(visit);
  return PACKAGES.filter((entry) => chosen.has(entry));
}

mkdirSync(destination, { recursive: true });
const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const run = promisify(execFile);
const packages = selection(wanted);
// Assets that are built, not written (the console page), are brought up to date first.
for (const { prepare } of packages) await prepare?.();
// Compiled into a build folder of this run, never into the sources' dist/ (two packings may run at once, e.g. two
// test projects), one after the other: each is type-checked against the declarations of those before it.
const build = mkdtempSync(path.join(tmpdir(), 'pack-build-'));
const distOf = (dir) => path.join(build, dir, 'dist');
const paths = Object.fromEntries(
  PACKAGES.map(({ dir, manifest }) => [manifest.name, [path.join(distOf(dir), 'index.d.ts')]]),
);
process.on('exit', () => rmSync(build, { recursive: true, force: true }));
for (const { dir } of packages) {
  const config = path.join(build, `${dir.replaceAll('/', '-')}.tsconfig.json`);
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, dir, 'tsconfig.build.json'),
      compilerOptions: {
        outDir: distOf(dir),
        rootDir: path.join(ROOT, dir, 'src'),
        baseUrl: ROOT,
        paths,
        // Looked up from the config's folder otherwise, which is outside the repo.
        typeRoots: [path.join(ROOT, 'node_modules/@types')],
      },
    }),
  );
  execFileSync(tsc, ['-p', config], { stdio: 'inherit' });
}
const tarballs = await Promise.all(
  packages.map(async ({ dir, assets = [], manifest }) => {
    const source = path.join(ROOT, dir);
    const staging = mkdtempSync(path.join(tmpdir(), 'pack-'));
    try {
      cpSync(distOf(dir), path.join(staging, 'dist'), { recursive: true });
      const files = ['dist', 'README.md'];
      if (existsSync(path.join(source, 'bin'))) {
        cpSync(path.join(source, 'bin'), path.join(staging, 'bin'), { recursive: true });
        files.push('bin');
      }
      cpSync(path.join(source, 'README.md'), path.join(staging, 'README.md'));
      for (const [from, to] of assets) {
        cpSync(path.join(ROOT, from), path.join(staging, to), { recursive: true });
        if (!to.startsWith('dist/')) files.push(to);
      }
      writeFileSync(
        path.join(staging, 'package.json'),
        `${JSON.stringify({ ...manifest, files }, null, 2)}\n`,
      );
      const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', destination], {
        cwd: staging,
        encoding: 'utf8',
      });
      return path.join(destination, stdout.trim().split('\n').pop());
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }),
);
for (const tarball of tarballs) console.log(tarball);
