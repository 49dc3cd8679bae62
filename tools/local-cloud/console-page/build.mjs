#!/usr/bin/env node
// Builds the console page (Vite) into console-page/dist when it is missing or older than its sources, so that
// `npm start`, the tests and the package (scripts/pack-packages.mjs) always serve the page the sources describe.
// Usage: node tools/local-cloud/console-page/build.mjs [--force]
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = import.meta.dirname;
const BUILT = path.join(ROOT, 'dist', 'index.html');
// Everything the bundle is made of: the page, its sources, the Vite config and the installed dependencies.
const SOURCES = [
  'index.html',
  'src',
  'vite.config.mjs',
  'tsconfig.json',
  'build.mjs',
  path.join('..', '..', '..', 'package-lock.json'),
];

/** The newest change in a file or folder (a folder's own time changes when a file in it is added or removed). */
function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

/** True when the built page is missing or older than one of its sources. */
export function consolePageStale() {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => {
    const file = path.join(ROOT, source);
    return existsSync(file) && newest(file) > built;
  });
}

const LOCK = path.join(ROOT, '.building');

/**
 * Builds the page unless it is up to date (or always, with `force`); says what it did on stderr. Two builds at once
 * (two test projects packing the package) would empty each other's output: the second waits for the first (a lock
 * folder, created atomically) and then finds the page up to date.
 */
export async function buildConsolePage({ force = false } = {}) {
  if (!force && !consolePageStale()) return;
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A build that died leaves its lock: one over two minutes old is not running any more (a build takes
      // seconds). The holder may remove it between the mkdir and this look: then there is nothing to look at.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 300_000) throw new Error(`Another build has held ${LOCK} for 5 minutes`);
      await sleep(100);
    }
  }
  try {
    if (!force && !consolePageStale()) return;
    const started = Date.now();
    process.stderr.write('Building the local console page (vite)... ');
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'vite.config.mjs') });
    process.stderr.write(`done in ${Date.now() - started} ms\n`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildConsolePage({ force: process.argv.includes('--force') }).catch((error) => {
    process.stderr.write(`\nThe console page did not build: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
