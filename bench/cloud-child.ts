import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..');

export interface CloudChild {
  urls: Record<string, string>;
  /** The cloud's process id (its children are the function environments). */
  pid: number;
  stop: () => Promise<void>;
}

/** Starts bench/cloud-process.ts (tsx, the repo's aliases) and waits for its URLs. */
export async function startCloudChild(args: string[]): Promise<CloudChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CLOUD_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), // e.g. --cpu-prof
      '--require',
      'tsx/cjs',
      path.join(__dirname, 'cloud-process.ts'),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) => reject(new Error(`bench cloud process exited (${code}) before it was ready`)));
  });
  return {
    urls: JSON.parse(line) as Record<string, string>,
    pid: child.pid as number,
    stop: async () => {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
