import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { FunctionCredentials, InvokeOutcome, LambdaFunctionConfig } from './types';

const RUNTIME_WORKER = path.join(__dirname, 'runtime-worker.js');

export interface EnvironmentOptions {
  config: LambdaFunctionConfig;
  credentials: FunctionCredentials;
  region: string;
  /** The local cloud's URL: every AWS SDK call of the function goes there (AWS_ENDPOINT_URL). */
  endpointUrl: string;
  /** Receives every line the function logs. */
  log: (line: string) => void;
}

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
}

type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: ErrorPayload }
  | { type: 'result'; requestId: string; result?: unknown; error?: ErrorPayload };

/** The variables Lambda sets for a Node.js function, then the function's own `Environment`. */
function lambdaEnvironment(options: EnvironmentOptions, logStreamName: string): Record<string, string> {
  const { config, credentials, region } = options;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    LAMBDA_TASK_ROOT: config.codeDir,
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
    AWS_ENDPOINT_URL: options.endpointUrl,
    ...config.environment,
  };
}

/**
 * One Lambda execution environment: a worker thread with its own `process.env` holding the function's
 * environment and its role's credentials, so functions never see each other's credentials. It serves one
 * invocation at a time; a timeout destroys it (as Lambda does), the next invocation gets a fresh one.
 */
export class ExecutionEnvironment {
  public readonly credentialsExpireAt: Date;
  private readonly worker: Worker;
  private readonly ready: Promise<{ initMs: number }>;
  private pending?: { requestId: string; resolve: (message: WorkerMessage & { type: 'result' }) => void };
  private dead = false;
  private coldStartReported = false;
  private exitError?: Error;

  public constructor(private readonly options: EnvironmentOptions) {
    const { config } = options;
    this.credentialsExpireAt = options.credentials.expiresAt;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
    this.worker = new Worker(RUNTIME_WORKER, {
      // Plain node, as Lambda runs the bundle: not the host's flags (e.g. tsx's --require loader hooks).
      execArgv: [],
      env: lambdaEnvironment(options, logStreamName),
      workerData: {
        codeDir: config.codeDir,
        handler: config.handler,
        functionName: config.name,
        functionArn: config.arn,
        memoryMb: config.memoryMb,
        timeoutMs: config.timeoutSeconds * 1000,
        logGroupName: `/aws/lambda/${config.name}`,
        logStreamName,
      },
      resourceLimits: { maxOldGenerationSizeMb: config.memoryMb },
      stdout: true,
      stderr: true,
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => options.log(line));
    }
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve({ initMs: message.initMs });
        else if (message.type === 'init-error')
          reject(new Error(`${message.error.errorType}: ${message.error.errorMessage}`));
      });
      this.worker.once('exit', (code) =>
        reject(this.exitError ?? new Error(`Runtime exited with code ${code}`)),
      );
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'result' && this.pending?.requestId === message.requestId) {
        const { resolve } = this.pending;
        this.pending = undefined;
        resolve(message);
      }
    });
    this.worker.on('error', (error) => {
      this.exitError = error;
    });
    this.worker.on('exit', () => {
      this.dead = true;
    });
  }

  public get alive(): boolean {
    return !this.dead;
  }

  public async invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    const started = performance.now();
    let initMs: number | undefined;
    const timeoutMs = this.options.config.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
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
      return new Promise<WorkerMessage & { type: 'result' }>((resolve) => {
        this.pending = { requestId, resolve };
        this.worker.postMessage({ type: 'invoke', requestId, event });
      });
    })();
    let onExit: (() => void) | undefined;
    const exited = new Promise<WorkerMessage & { type: 'result' }>((resolve) => {
      onExit = () =>
        resolve({
          type: 'result',
          requestId,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: this.exitError?.message ?? 'Runtime exited',
          },
        });
      this.worker.once('exit', onExit);
    });
    const outcome = await Promise.race([run, timedOut, exited]);
    clearTimeout(timer);
    // One listener per invocation: removed, or a warm environment would collect them (a leak).
    if (onExit) this.worker.off('exit', onExit);
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
    await this.worker.terminate();
  }
}
