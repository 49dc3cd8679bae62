import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..');

/**
 * Seconds from `npm start` (the same command line) to its "Ready" line: packaging both services, starting the
 * local cloud, deploying. On a free port with a temporary state folder, so a running local cloud is untouched.
 */
export async function benchStartReady(): Promise<number> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'start-ready-'));
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, LOCAL_CLOUD_PORT: '0', LOCAL_CLOUD_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: npm -> sh -> tsx -> node all stop together
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('Ready in')) resolve((Date.now() - started) / 1000);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready`)));
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    rmSync(stateDir, { recursive: true, force: true });
  }
}
