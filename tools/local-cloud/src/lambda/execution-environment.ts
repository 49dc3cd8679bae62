import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FunctionCredentials, InvokeOutcome, LambdaFunctionConfig } from './types';

const RUNTIME = path.join(__dirname, 'runtime-process.js');

/** Lambda's limit on the init phase (starting the runtime and loading the handler). */
const INIT_LIMIT_MS = 10_000;
/** Node 20 names the permission model `--experimental-permission`; later releases `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission')
  ? '--permission'
  : '--experimental-permission';
/** Lambda's PATH for Node.js runtimes (the host's PATH is not passed on). */
const LAMBDA_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';

export interface EnvironmentOptions {
  config: LambdaFunctionConfig;
  credentials: FunctionCredentials;
  region: string;
  /** The local cloud's URL: every AWS SDK call of the function goes there (AWS_ENDPOINT_URL). */
  endpointUrl: string;
  /** Receives every line the function logs. */
  log: (line: string) => void;
  /** Where the environment's temp folder goes (default the system's temp directory). */
  tmpRoot?: string;
}

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
}

type RuntimeMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: ErrorPayload }
  | { type: 'result'; requestId: string; result?: unknown; error?: ErrorPayload };

/**
 * The functions declare nodejs22.x, where the bundled AWS SDK never warns about its Node version; on a Node 20 host
 * it would print a 9-line NodeVersionSupportWarning at every environment's first call. Known noise of running on
 * this host, so it is turned off there, and only there (the SDK's own switch).
 */
const HOST_OLDER_THAN_RUNTIME = Number(process.versions.node.split('.')[0]) < 22;

/**
 * Exactly the variables Lambda sets for a Node.js function, then the function's own `Environment`
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * Nothing comes from the host: not its PATH, HOME or any `AWS_*` a developer exported in that shell.
 * `TMPDIR` is ours: the environment's own temp folder, the only place it may write (Lambda's `/tmp`).
 */
function lambdaEnvironment(
  options: EnvironmentOptions,
  logStreamName: string,
  tmpDir: string,
): Record<string, string> {
  const { config, credentials, region } = options;
  return {
    PATH: LAMBDA_PATH,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    LAMBDA_TASK_ROOT: config.codeDir,
    _HANDLER: config.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    ...config.environment,
    // After the function's own (the deployer refuses Lambda's reserved names there): the runtime needs these.
    AWS_ENDPOINT_URL: options.endpointUrl,
    TMPDIR: tmpDir,
    ...(HOST_OLDER_THAN_RUNTIME ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {}),
  };
}

/**
 * One Lambda execution environment: its own node process holding only the function's environment and its
 * role's credentials, so a function sees neither the host's environment nor the cloud's memory (live
 * sessions, user keys) nor another function's credentials. Node's permission model confines its file access
 * to its code and its temp folder, and forbids child processes and worker threads. It serves one invocation
 * at a time; a timeout kills it (as Lambda does), the next invocation gets a fresh one.
 */
export class ExecutionEnvironment {
  public readonly credentialsExpireAt: Date;
  private readonly child: ChildProcess;
  private readonly tmpDir: string;
  private readonly ready: Promise<{ initMs: number }>;
  private pending?: { requestId: string; resolve: (message: RuntimeMessage & { type: 'result' }) => void };
  private dead = false;
  private coldStartReported = false;
  private readonly exited: Promise<void>;

  public constructor(private readonly options: EnvironmentOptions) {
    const { config } = options;
    this.credentialsExpireAt = options.credentials.expiresAt;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
    this.tmpDir = mkdtempSync(path.join(options.tmpRoot ?? tmpdir(), 'lambda-tmp-'));
    // Node 20 reads --allow-fs-read as a comma-separated list: a comma in a path would widen the fence.
    const fenced = [RUNTIME, config.codeDir, this.tmpDir];
    const unfenceable = fenced.find((folder) => folder.includes(','));
    if (unfenceable) {
      rmSync(this.tmpDir, { recursive: true, force: true });
      throw new Error(
        `Cannot confine a function to ${unfenceable}: node's permission model splits paths at commas`,
      );
    }
    this.child = fork(
      RUNTIME,
      [
        JSON.stringify({
          handler: config.handler,
          functionName: config.name,
          functionArn: config.arn,
          memoryMb: config.memoryMb,
          timeoutMs: config.timeoutSeconds * 1000,
          logGroupName: `/aws/lambda/${config.name}`,
          logStreamName,
        }),
      ],
      {
        cwd: config.codeDir,
        env: lambdaEnvironment(options, logStreamName, this.tmpDir),
        // Plain node, as Lambda runs the bundle: none of the host's flags (e.g. tsx's loader hooks).
        execArgv: [
          PERMISSION_FLAG,
          ...fenced.map((folder) => `--allow-fs-read=${folder}`),
          `--allow-fs-write=${this.tmpDir}`,
          '--disable-warning=ExperimentalWarning',
          '--single-threaded-gc',
          `--max-old-space-size=${config.memoryMb}`,
        ],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => options.log(line));
    }
    let spawnError: Error | undefined;
    this.exited = new Promise((resolve) => {
      const ended = () => {
        this.dead = true;
        rmSync(this.tmpDir, { recursive: true, force: true });
        resolve();
      };
      this.child.once('exit', ended);
      this.child.on('error', (error) => {
        spawnError = error;
        if (this.child.pid === undefined) ended(); // never started: no 'exit' follows
      });
    });
    let settleReady: { resolve: (ready: { initMs: number }) => void; reject: (error: Error) => void };
    this.ready = new Promise((resolve, reject) => {
      settleReady = { resolve, reject };
      this.child.once('exit', (code, signal) =>
        reject(spawnError ?? new Error(`Runtime exited with ${signal ?? `code ${code}`}`)),
      );
      this.child.once('error', reject);
    });
    this.ready.catch(() => undefined);
    // Only the runtime's own messages count, by type: the first 'ready' or 'init-error', then results of the
    // invocation in progress.
    this.child.on('message', (message: RuntimeMessage) => {
      if (message?.type === 'ready') settleReady.resolve({ initMs: message.initMs });
      else if (message?.type === 'init-error')
        settleReady.reject(new Error(`${message.error.errorType}: ${message.error.errorMessage}`));
      else if (message?.type === 'result' && this.pending?.requestId === message.requestId) {
        const { resolve } = this.pending;
        this.pending = undefined;
        resolve(message);
      }
    });
  }

  /** The environment's process id (to tell its connections to the cloud from others). */
  public get pid(): number | undefined {
    return this.child.pid;
  }

  public get alive(): boolean {
    return !this.dead;
  }

  /** `clockOffsetMs`: how far the local cloud's clock is from the machine's; the function's clock follows it. */
  public async invoke(event: unknown, requestId: string, clockOffsetMs = 0): Promise<InvokeOutcome> {
    const started = performance.now();
    let initMs: number | undefined;
    const timeoutMs = this.options.config.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    let fire: () => void = () => undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      fire = () => resolve('timeout');
    });
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(fire, ms);
    };
    // The init phase has its own limit; the function's timeout counts from the invocation proper
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html: "The Init phase is limited
    // to 10 seconds").
    arm(INIT_LIMIT_MS);
    const run = (async () => {
      try {
        const ready = await this.ready;
        // Only the first invocation of an environment pays (and reports) the cold start.
        if (!this.coldStartReported) initMs = ready.initMs;
        this.coldStartReported = true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          type: 'result' as const,
          requestId,
          error: { errorType: 'Runtime.ImportModuleError', errorMessage: message },
        };
      }
      arm(timeoutMs);
      return new Promise<RuntimeMessage & { type: 'result' }>((resolve) => {
        this.pending = { requestId, resolve };
        this.child.send({ type: 'invoke', requestId, event, clockOffsetMs });
      });
    })();
    let onExit: (() => void) | undefined;
    const exited = new Promise<RuntimeMessage & { type: 'result' }>((resolve) => {
      onExit = () =>
        resolve({
          type: 'result',
          requestId,
          error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' },
        });
      this.child.once('exit', onExit);
    });
    const outcome = await Promise.race([run, timedOut, exited]);
    clearTimeout(timer);
    // One listener per invocation: removed, or a warm environment would collect them (a leak).
    if (onExit) this.child.off('exit', onExit);
    const durationMs = performance.now() - started;
    if (outcome === 'timeout') {
      this.options.log(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
      await this.destroy();
      return { kind: 'timeout', durationMs };
    }
    if (outcome.error) {
      this.options.log(`ERROR Invoke Error ${JSON.stringify(outcome.error)}`);
      return { kind: 'error', ...outcome.error, durationMs };
    }
    return { kind: 'result', payload: outcome.result, durationMs, initMs };
  }

  public async destroy(): Promise<void> {
    this.dead = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
