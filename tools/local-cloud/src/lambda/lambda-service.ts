import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Fault, FaultInjector } from '../faults';
import { arnLikeMatch } from '../iam/wildcard';
import { ExecutionEnvironment } from './execution-environment';
import type { FunctionCredentials, InvokeOutcome, LambdaFunctionConfig } from './types';

/** An environment is retired this long before its role credentials expire (Lambda recycles them too). */
const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Concurrent executions per function; further invocations wait for a free environment. */
const MAX_ENVIRONMENTS_PER_FUNCTION = 8;

export interface LambdaServiceOptions {
  region: string;
  endpointUrl: () => string;
  now: () => Date;
  /** Temporary credentials of the function's execution role (assumed as lambda.amazonaws.com). */
  credentialsFor: (config: LambdaFunctionConfig) => FunctionCredentials;
  log: (functionName: string, line: string) => void;
  /** Injected faults (`POST /_local/faults`), checked on every invocation. */
  faults?: FaultInjector;
  /** Parent of the environments' temp folders (the cloud clears it at start, so a crash leaves nothing for good). */
  tmpRoot?: string;
}

/** One statement of a function's resource-based policy (`AWS::Lambda::Permission`). */
export interface LambdaPermission {
  /** Unique per statement (the stack's physical id of the permission). */
  id: string;
  functionName: string;
  principal: string;
  action: string;
  sourceArn?: string;
  sourceAccount?: string;
}

interface FunctionState {
  config: LambdaFunctionConfig;
  idle: ExecutionEnvironment[];
  busy: Set<ExecutionEnvironment>;
  waiters: Array<() => void>;
}

/**
 * Deployed functions and their warm execution environments. Environments are reused while warm, one
 * invocation at a time each, and replaced when their credentials near expiry or after a timeout.
 */
export class LambdaService {
  private stopped = false;
  /** Aborts injected delays when the service stops, so stop() never waits for them. */
  private readonly stopping = new AbortController();
  private readonly functions = new Map<string, FunctionState>();
  private readonly permissions = new Map<string, LambdaPermission>();

  public constructor(private readonly options: LambdaServiceOptions) {}

  /** Adds or replaces a function; a replaced function's environments are shut down (new code, new config). */
  public async put(config: LambdaFunctionConfig): Promise<void> {
    await this.remove(config.name);
    this.functions.set(config.name, { config, idle: [], busy: new Set(), waiters: [] });
  }

  public async remove(name: string): Promise<void> {
    const state = this.functions.get(name);
    if (!state) return;
    this.functions.delete(name);
    await Promise.all([...state.idle, ...state.busy].map((environment) => environment.destroy()));
  }

  public putPermission(permission: LambdaPermission): void {
    this.permissions.set(permission.id, permission);
  }

  public removePermission(id: string): void {
    this.permissions.delete(id);
  }

  /**
   * Whether the function's resource-based policy lets `principal` (a service such as `cognito-idp.amazonaws.com`)
   * invoke it for `sourceArn` in `sourceAccount`: a statement for that principal whose SourceArn (wildcards
   * allowed) and SourceAccount, when set, match (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
   */
  public isInvocationAllowed(
    functionName: string,
    principal: string,
    sourceArn: string,
    sourceAccount: string,
  ): boolean {
    for (const permission of this.permissions.values()) {
      if (permission.functionName !== functionName || permission.principal !== principal) continue;
      if (permission.action !== 'lambda:InvokeFunction' && permission.action !== 'lambda:*') continue;
      if (permission.sourceArn !== undefined && !arnLikeMatch(permission.sourceArn, sourceArn)) continue;
      if (permission.sourceAccount !== undefined && permission.sourceAccount !== sourceAccount) continue;
      return true;
    }
    return false;
  }

  public get(name: string): LambdaFunctionConfig | undefined {
    return this.functions.get(name)?.config;
  }

  /** Process ids of every live execution environment. */
  public environmentPids(): number[] {
    const pids: number[] = [];
    for (const state of this.functions.values())
      for (const environment of [...state.idle, ...state.busy])
        if (environment.alive && environment.pid !== undefined) pids.push(environment.pid);
    return pids;
  }

  public list(): LambdaFunctionConfig[] {
    return [...this.functions.values()].map((state) => state.config);
  }

  public async invoke(name: string, event: unknown): Promise<InvokeOutcome> {
    const state = this.functions.get(name);
    if (!state) throw new Error(`Function not found: ${name}`);
    const fault = this.options.faults?.take(name, state.config.stackName);
    if (fault) {
      const injected = await this.injected(state.config, fault);
      if (injected) return injected;
    }
    // The service may have stopped during an injected delay: start no new environment then.
    if (this.stopped)
      return {
        kind: 'error',
        errorType: 'ServiceStopped',
        errorMessage: 'The local cloud stopped',
        durationMs: 0,
      };
    const environment = await this.acquire(state);
    try {
      // The function reads the local cloud's clock, as the gateway, STS and Cognito do (tests move it).
      return await environment.invoke(event, randomUUID(), this.options.now().getTime() - Date.now());
    } finally {
      this.release(state, environment);
    }
  }

  /** What an injected fault turns this invocation into; undefined: run the function (after a latency fault). */
  private async injected(config: LambdaFunctionConfig, fault: Fault): Promise<InvokeOutcome | undefined> {
    const timeoutMs = config.timeoutSeconds * 1000;
    const log = (line: string) => this.options.log(config.name, `[fault ${fault.id}: ${fault.mode}] ${line}`);
    const sleep = (ms: number) => delay(ms, undefined, { signal: this.stopping.signal });
    if (fault.mode === 'error') {
      log('ERROR Invoke Error (injected)');
      return {
        kind: 'error',
        errorType: 'InjectedFault',
        errorMessage: 'Fault injected by /_local/faults',
        durationMs: 0,
      };
    }
    const delayMs =
      fault.mode === 'timeout' ? Math.min(fault.latencyMs ?? timeoutMs, timeoutMs) : (fault.latencyMs ?? 0);
    if (fault.mode === 'timeout' || delayMs >= timeoutMs) {
      // The time it was held, which a `latencyMs` below the function's own timeout shortens: the log says that one.
      const heldMs = Math.min(delayMs, timeoutMs);
      await sleep(heldMs);
      log(`Task timed out after ${(heldMs / 1000).toFixed(2)} seconds (injected)`);
      return { kind: 'timeout', durationMs: heldMs };
    }
    log(`delaying ${delayMs} ms (injected)`);
    await sleep(delayMs);
    return undefined;
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await Promise.all([...this.functions.keys()].map((name) => this.remove(name)));
  }

  private async acquire(state: FunctionState): Promise<ExecutionEnvironment> {
    for (;;) {
      const now = this.options.now().getTime();
      let environment = state.idle.pop();
      while (
        environment &&
        (!environment.alive || environment.credentialsExpireAt.getTime() - now < CREDENTIAL_REFRESH_MARGIN_MS)
      ) {
        void environment.destroy();
        environment = state.idle.pop();
      }
      if (!environment && state.busy.size < MAX_ENVIRONMENTS_PER_FUNCTION) {
        environment = new ExecutionEnvironment({
          config: state.config,
          credentials: this.options.credentialsFor(state.config),
          region: this.options.region,
          endpointUrl: this.options.endpointUrl(),
          log: (line) => this.options.log(state.config.name, line),
          tmpRoot: this.options.tmpRoot,
        });
      }
      if (environment) {
        state.busy.add(environment);
        return environment;
      }
      await new Promise<void>((resolve) => state.waiters.push(resolve));
    }
  }

  private release(state: FunctionState, environment: ExecutionEnvironment): void {
    state.busy.delete(environment);
    if (environment.alive && this.functions.get(state.config.name) === state) state.idle.push(environment);
    state.waiters.shift()?.();
  }
}
