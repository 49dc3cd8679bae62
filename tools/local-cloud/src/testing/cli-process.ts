import { spawn } from 'node:child_process';

/** A `local-cloud start` running in its own process, as a user's terminal runs it. */
export interface RunningCli {
  /** Everything it printed so far, stdout and stderr in arrival order. */
  output(): string;
  /** Ctrl-C, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `command args` and resolves once it printed `readyLine` (the start's "Ctrl-C stops it"); rejects with its
 * output if it exits first.
 */
export async function startCli(
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; readyLine?: string },
): Promise<RunningCli> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env });
  let output = '';
  const collect = (chunk: string) => (output += chunk);
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const readyLine = options.readyLine ?? 'Ctrl-C stops it';
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes(readyLine)) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}):\n${output}`));
    });
  });
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
