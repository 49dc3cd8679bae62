import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Agent, IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  cachedCredentials,
  inferSigningScope,
  presignRequest,
  signRequest,
  withLiteralPlus,
  type AwsCredentialIdentity,
  type RequestToSign,
  type SigningScopeInput,
  type SigningTrace,
} from '@sigv4-auth/signed-fetch';
import { awsContext } from '../aws/credentials';
import { connectionsFor, send, transportExitCode, type OutgoingRequest } from '../http/send';
import { responseHead, verboseBlock, verboseRequest, verboseResponse } from '../output/curl-format';
import { Redactor } from '../output/redact';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes';
import { parseArguments, type CliOptions } from './options';
import { requestBody } from './request-body';
import { USAGE, VERSION } from './usage';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** curl retries these statuses (and timeouts) with --retry: https://curl.se/docs/manpage.html#--retry */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_EXIT = new Set<ExitCodeValue>([ExitCode.timeout, ExitCode.couldNotResolveHost]);
const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

async function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Writes to stdout; a closed pipe or full disk is curl's exit 23, not a crash. */
async function writeOut(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  try {
    await write(stream, chunk);
  } catch (error) {
    throw new CliError(
      `Failure writing output to destination: ${(error as Error).message}`,
      ExitCode.writeError,
      {
        cause: error,
      },
    );
  }
}

function signingScope(
  url: URL,
  options: CliOptions,
  env: CliIo['env'],
  profileRegion?: string,
): SigningScopeInput {
  const inferred = inferSigningScope(url);
  const region =
    options.region ?? inferred.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profileRegion;
  if (!region)
    throw new CliError(
      `no region for ${url.host}: pass --region, set AWS_REGION or a region in the profile`,
      ExitCode.failure,
    );
  return { region, service: options.service ?? inferred.service ?? 'execute-api' };
}

/** Request headers in curl's order: Host, User-Agent, Accept, then -H (which can replace or remove those). */
function requestHeaders(
  options: CliOptions,
  url: URL,
  contentType?: string,
  json = false,
): Array<[string, string]> {
  const headers = new Map<string, [string, string]>([
    ['user-agent', ['user-agent', `signed-fetch/${VERSION}`]],
    ['accept', ['accept', json ? 'application/json' : '*/*']],
  ]);
  if (contentType) headers.set('content-type', ['content-type', contentType]);
  for (const { name, value } of options.headers) {
    const key = name.toLowerCase();
    if (key === 'host') {
      if (value !== url.host)
        throw new CliError(
          "-H host: the signed host must be the URL's; change the URL instead",
          ExitCode.usage,
        );
      continue; // the URL's host is sent (and signed) anyway
    }
    if (value === null) headers.delete(key);
    else headers.set(key, [name, value]);
  }
  return [...headers.values()];
}

function retryDelayMs(options: CliOptions, retryNumber: number, response?: IncomingMessage): number {
  const retryAfter = Number(response?.headers['retry-after']);
  if (response?.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0)
    return Math.min(retryAfter * 1000, MAX_RETRY_DELAY_MS);
  // curl: --retry-delay 0 means its default backoff (1 s, doubling).
  if (options.retryDelaySeconds) return options.retryDelaySeconds * 1000;
  return Math.min(1000 * 2 ** (retryNumber - 1), MAX_RETRY_DELAY_MS);
}

interface Context {
  options: CliOptions;
  io: CliIo;
  redactor: Redactor;
  /** `-v` output, redacted; never fails the command. */
  say: (text: string) => Promise<void>;
}

async function execute(context: Context): Promise<ExitCodeValue> {
  const { options, io, redactor, say } = context;
  const url = withLiteralPlus(new URL(options.url as string));
  const body = await requestBody(options.data, io.stdin);
  const method = options.method ?? (options.head ? 'HEAD' : body.bytes ? 'POST' : 'GET');
  const headers = requestHeaders(options, url, body.contentType, body.json);

  let scope: SigningScopeInput | undefined;
  const aws = await awsContext(
    { ...options, roleSessionSeconds: options.presign ? options.expiresSeconds : undefined },
    io.env,
    (profileRegion) => {
      scope = signingScope(url, options, io.env, profileRegion);
      return scope.region;
    },
  );
  scope ??= signingScope(url, options, io.env, aws.profileRegion);
  const provider = cachedCredentials(aws.credentials, Date.now);
  const credentials = async (): Promise<AwsCredentialIdentity> => {
    try {
      const resolved = await provider();
      redactor.add(resolved);
      return resolved;
    } catch (error) {
      const cause = (error as Error).cause ?? error;
      if (cause instanceof CliError) throw cause;
      throw new CliError(
        `could not load AWS credentials from ${aws.source}: ${(cause as Error).message}`,
        ExitCode.failure,
        { cause },
      );
    }
  };
  const first = await credentials();
  await say(`* Credentials: ${first.accessKeyId} (${aws.source})\n`);
  await say(`* Signing for region ${scope.region}, service ${scope.service}\n`);
  if (options.signingDate)
    await say(`* Signing at the X-Amz-Date you gave: ${options.signingDate.toISOString()}\n`);
  const trace = options.verbose
    ? (t: SigningTrace) => {
        void say(
          verboseBlock('Canonical request', t.canonicalRequest) +
            verboseBlock('String to sign', t.stringToSign),
        );
      }
    : undefined;
  const toSign: RequestToSign = { method, url, headers: Object.fromEntries(headers), body: body.bytes };

  if (options.presign) return presign(context, toSign, first, scope, trace);

  const agent = connectionsFor(url);
  try {
    return await exchange(context, { toSign, credentials, scope, agent, trace });
  } finally {
    agent.destroy();
  }
}

async function presign(
  { options, io }: Context,
  toSign: RequestToSign,
  credentials: AwsCredentialIdentity,
  scope: SigningScopeInput,
  trace?: (trace: SigningTrace) => void,
): Promise<ExitCodeValue> {
  // Sign only what the URL's user must send too: host, the -H headers, a body's content type (and hash).
  const given = new Set(options.headers.map(({ name }) => name.toLowerCase()).concat('content-type'));
  const headers = Object.fromEntries(
    Object.entries(toSign.headers).filter(([name]) => given.has(name.toLowerCase())),
  );
  const signingDate = options.signingDate ?? new Date();
  const presigned = await presignRequest({ ...toSign, headers }, credentials, scope, {
    signingDate,
    expiresInSeconds: options.expiresSeconds,
    trace,
  });
  const validUntil = signingDate.getTime() + options.expiresSeconds * 1000;
  if (validUntil < Date.now() && (!options.silent || options.showError))
    await write(
      io.stderr,
      `Warning: the URL expired at ${new Date(validUntil).toISOString()} (the X-Amz-Date given plus --expires ${options.expiresSeconds}): AWS refuses it.\n`,
    );
  if (
    credentials.expiration &&
    credentials.expiration.getTime() < validUntil &&
    (!options.silent || options.showError)
  )
    await write(
      io.stderr,
      `Warning: the URL stops working at ${credentials.expiration.toISOString()}, when the temporary credentials that signed it expire (before --expires ${options.expiresSeconds}).\n`,
    );
  await writeOut(io.stdout, `${presigned.href}\n`);
  return ExitCode.ok;
}

interface Exchange {
  toSign: RequestToSign;
  credentials: () => Promise<AwsCredentialIdentity>;
  scope: SigningScopeInput;
  agent: Agent;
  trace?: (trace: SigningTrace) => void;
}

/** Sign, send, retry as `--retry` says, deliver. Every attempt is signed anew (fresh date and credentials). */
async function exchange(context: Context, x: Exchange): Promise<ExitCodeValue> {
  const { options, redactor, say } = context;
  const { toSign } = x;
  for (let attempt = 0; ; attempt += 1) {
    const signed = await signRequest(toSign, await x.credentials(), x.scope, {
      signingDate: options.signingDate ?? new Date(),
      trace: x.trace,
    });
    const outgoing: OutgoingRequest = {
      url: toSign.url,
      method: toSign.method,
      headers: [['host', toSign.url.host], ...Object.entries(signed)],
      body: toSign.body,
    };
    await say(verboseRequest(outgoing));
    // curl: --max-time 0 means no limit.
    const signal = options.maxTimeSeconds ? AbortSignal.timeout(options.maxTimeSeconds * 1000) : undefined;
    let response: IncomingMessage;
    try {
      response = await send(outgoing, x.agent, signal);
    } catch (error) {
      if (error instanceof CliError && RETRYABLE_EXIT.has(error.exitCode) && attempt < options.retry) {
        await warnRetry(context, redactor.apply(error.message), attempt, retryDelayMs(options, attempt + 1));
        continue;
      }
      throw error;
    }
    await say(verboseResponse(response));
    const status = response.statusCode ?? 0;
    if (RETRYABLE_STATUS.has(status) && attempt < options.retry) {
      response.resume();
      await warnRetry(context, `HTTP error ${status}`, attempt, retryDelayMs(options, attempt + 1, response));
      continue;
    }
    return deliver(context, response, toSign.method, signal);
  }
}

async function warnRetry(
  { options, io }: Context,
  why: string,
  attempt: number,
  delayMs: number,
): Promise<void> {
  // curl: -s mutes these even with -S.
  if (!options.silent)
    await write(
      io.stderr,
      `Warning: ${why}. Will retry in ${Math.round(delayMs / 1000)} seconds. ${options.retry - attempt} retries left.\n`,
    ).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
}

function receiveFailure(error: unknown, signal?: AbortSignal): CliError {
  // An abort after the headers surfaces as ECONNRESET 'aborted' on the body: still curl's timeout.
  const exitCode = signal?.aborted ? ExitCode.timeout : transportExitCode(error as NodeJS.ErrnoException);
  const message =
    exitCode === ExitCode.timeout
      ? 'Operation timed out'
      : `receiving the body failed: ${(error as Error).message}`;
  return new CliError(message, exitCode, { cause: error });
}

/** Prints what curl prints for this response (to stdout or the `-o` file), and returns the exit code. */
async function deliver(
  { options, io }: Context,
  response: IncomingMessage,
  method: string,
  signal?: AbortSignal,
): Promise<ExitCodeValue> {
  const status = response.statusCode ?? 0;
  const failed = options.fail && status >= 400;
  const head = options.include || options.head ? responseHead(response) : undefined;
  const withBody = !failed && !options.head && method.toUpperCase() !== 'HEAD';
  const toFile = options.output !== undefined && options.output !== '-' && !failed;

  if (toFile) {
    const file = createWriteStream(options.output as string);
    async function* content() {
      if (head) yield Buffer.from(head);
      if (withBody) yield* response;
    }
    try {
      await pipeline(content(), file);
    } catch (error) {
      if (file.errored)
        throw new CliError(
          `could not write '${options.output}': ${(error as Error).message}`,
          ExitCode.writeError,
          {
            cause: error,
          },
        );
      throw receiveFailure(error, signal);
    } finally {
      response.resume();
    }
    return ExitCode.ok;
  }

  if (head) await writeOut(io.stdout, head);
  if (failed) {
    response.resume();
    throw new CliError(`The requested URL returned error: ${status}`, ExitCode.httpError);
  }
  if (!withBody) {
    response.resume();
    return ExitCode.ok;
  }
  const chunks = response[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw receiveFailure(error, signal);
    }
    if (next.done) return ExitCode.ok;
    try {
      await writeOut(io.stdout, next.value);
    } catch (error) {
      response.destroy();
      throw error;
    }
  }
}

/** The whole command: parses `argv`, runs it, prints curl-style errors, returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions | undefined;
  const redactor = new Redactor();
  try {
    options = parseArguments(argv);
    if (options.help || options.version) {
      await writeOut(io.stdout, options.help ? USAGE : `signed-fetch ${VERSION}\n`);
      return ExitCode.ok;
    }
    const verbose = options.verbose;
    const say = (text: string) =>
      verbose ? write(io.stderr, redactor.apply(text)).catch(() => undefined) : Promise.resolve();
    return await execute({ options, io, redactor, say });
  } catch (error) {
    const failure =
      error instanceof CliError
        ? error
        : new CliError(error instanceof Error ? error.message : String(error), ExitCode.failure, {
            cause: error,
          });
    const quiet = options?.silent === true && !options.showError;
    if (!quiet) {
      let text = `signed-fetch: (${failure.exitCode}) ${redactor.apply(failure.message)}\n`;
      if (failure.exitCode === ExitCode.usage)
        text += "signed-fetch: try 'signed-fetch --help' for more information\n";
      await write(io.stderr, text).catch(() => undefined);
    }
    return failure.exitCode;
  }
}
