import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

/** A project outside this repo with this repo's packages installed from their tarballs, as a user installs them. */
export interface PackedProject {
  dir: string;
  /** `node_modules/.bin/<name>` of the project. */
  bin(name: string): string;
  /**
   * `tsc --noEmit --strict` of a file of the project (CommonJS, Node types, library checks on), as a user's
   * TypeScript would compile against the installed declarations: 'ok', or tsc's errors.
   */
  typecheck(file: string): Promise<string>;
  remove(): void;
}

/** `name@version` as this repo's lockfile pins it, so npm finds it in the cache `npm ci` filled. */
function lockedSpec(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json: add it to the repo first`);
  return `${name}@${version}`;
}

/**
 * Packs `packages` (and the packages of this repo they depend on) with scripts/pack-packages.mjs, then
 * `npm install`s the tarballs and `dependencies` (at this repo's locked versions) into a fresh temporary project.
 */
export async function packedProject(options: {
  packages: string[];
  dependencies?: string[];
  prefix: string;
}): Promise<PackedProject> {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix));
  const { stdout } = await run(
    process.execPath,
    [path.join(ROOT, 'scripts/pack-packages.mjs'), path.join(dir, 'packs'), ...options.packages],
    { encoding: 'utf8' },
  );
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'a-user-project', private: true }));
  // From npm's cache when it has them (CI's npm ci filled it), else the registry.
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...stdout.trim().split('\n'),
      ...(options.dependencies ?? []).map(lockedSpec),
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  return {
    dir,
    bin: (name) => path.join(dir, 'node_modules', '.bin', name),
    typecheck: (file) =>
      run(
        path.join(ROOT, 'node_modules/.bin/tsc'),
        [
          ...['--noEmit', '--strict', '--module', 'commonjs', '--moduleResolution', 'node'],
          ...['--target', 'es2022', '--lib', 'es2023,dom', '--esModuleInterop'],
          ...['--typeRoots', path.join(ROOT, 'node_modules/@types'), '--types', 'node', file],
        ],
        { cwd: dir, encoding: 'utf8' },
      ).then(
        () => 'ok',
        (error: { stdout?: string }) => error.stdout || 'failed',
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
