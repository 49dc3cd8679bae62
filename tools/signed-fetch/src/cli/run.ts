import { createWriteStream } from 'node:fs';
import type { Agent, IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import {
  inferSigningScope,
  presignRequest,
  signRequest,
  type AwsCredentialIdentity,
  type RequestToSign,
  type SigningScopeInput,
  type SigningTrace,
} from '@sigv4-auth/signed-fetch';
import { awsContext } from '../aws/credentials';
import { connectionsFor, send, transportExitCode, type OutgoingRequest } from '../http/send';
import { responseHead, verboseBlock, verboseRequest, verboseResponse } from '../output/curl-format';
import { secretRedactor } from '../output/redact';
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
const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

async function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
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
      ExitCode.usage,
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
    ['host', ['host', url.host]],
    ['user-agent', ['user-agent', `signed-fetch/${VERSION}`]],
    ['accept', ['accept', json ? 'application/json' : '*/*']],
  ]);
  if (contentType) headers.set('content-type', ['content-type', contentType]);
  for (const { name, value } of options.headers) {
    const key = name.toLowerCase();
    if (key === 'host' && value !== url.host)
      throw new CliError(
        "-H host: the signed host must be the URL's; change the URL instead",
        ExitCode.usage,
      );
    if (value === null) headers.delete(key);
    else headers.set(key, [name, value]);
  }
  return [...headers.values()];
}

function retryDelayMs(options: CliOptions, retryNumber: number, response?: IncomingMessage): number {
  const retryAfter = Number(response?.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter * 1000, MAX_RETRY_DELAY_MS);
  if (options.retryDelaySeconds !== undefined) return options.retryDelaySeconds * 1000;
  return Math.min(1000 * 2 ** (retryNumber - 1), MAX_RETRY_DELAY_MS);
}

async function execute(options: CliOptions, io: CliIo): Promise<ExitCodeValue> {
  const url = new URL(options.url as string);
  const say = (text: string) => (options.verbose ? write(io.stderr, text) : Promise.resolve());
  const body = await requestBody(options.data, io.stdin);
  const method = (options.method ?? (options.head ? 'HEAD' : body.bytes ? 'POST' : 'GET')).toUpperCase();
  const headers = requestHeaders(options, url, body.contentType, body.json);

  let scope: SigningScopeInput | undefined;
  const context = await awsContext(options, io.env, (profileRegion) => {
    scope = signingScope(url, options, io.env, profileRegion);
    return scope.region;
  });
  scope ??= signingScope(url, options, io.env, context.profileRegion);
  let credentials: AwsCredentialIdentity;
  try {
    credentials = await context.credentials();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `could not load AWS credentials from ${context.source}: ${(error as Error).message}`,
      ExitCode.failure,
      {
        cause: error,
      },
    );
  }
  const redact = secretRedactor(credentials);
  await say(`* Credentials: ${credentials.accessKeyId} (${context.source})\n`);
  await say(`* Signing for region ${scope.region}, service ${scope.service}\n`);
  const trace = options.verbose
    ? (t: SigningTrace) => {
        void say(redact(verboseBlock('Canonical request', t.canonicalRequest)));
        void say(redact(verboseBlock('String to sign', t.stringToSign)));
      }
    : undefined;
  const toSign: RequestToSign = {
    method,
    url,
    headers: Object.fromEntries(headers.filter(([name]) => name !== 'host')),
    body: body.bytes,
  };

  if (options.presign) {
    // Sign only what the URL's user must send too: host, the -H headers, the body's content type.
    const given = new Set(options.headers.map(({ name }) => name.toLowerCase()).concat('content-type'));
    const presignHeaders = Object.fromEntries(
      Object.entries(toSign.headers).filter(([name]) => given.has(name.toLowerCase())),
    );
    const presigned = await presignRequest({ ...toSign, headers: presignHeaders }, credentials, scope, {
      signingDate: new Date(),
      expiresInSeconds: options.expiresSeconds,
      trace,
    });
    await write(io.stdout, `${presigned.href}\n`);
    return ExitCode.ok;
  }

  const agent = connectionsFor(url);
  try {
    return await exchange(options, io, {
      toSign,
      credentials,
      scope,
      url,
      method,
      body: body.bytes,
      agent,
      redact,
      trace,
    });
  } finally {
    agent.destroy();
  }
}

interface Exchange {
  toSign: RequestToSign;
  credentials: AwsCredentialIdentity;
  scope: SigningScopeInput;
  url: URL;
  method: string;
  body?: Uint8Array;
  agent: Agent;
  redact: (text: string) => string;
  trace?: (trace: SigningTrace) => void;
}

/** Sign, send, retry as `--retry` says, deliver. Every attempt is signed anew (fresh X-Amz-Date). */
async function exchange(options: CliOptions, io: CliIo, x: Exchange): Promise<ExitCodeValue> {
  const { toSign, credentials, scope, url, method, redact, trace } = x;
  const say = (text: string) => (options.verbose ? write(io.stderr, text) : Promise.resolve());
  for (let attempt = 0; ; attempt += 1) {
    const signed = await signRequest(toSign, credentials, scope, { signingDate: new Date(), trace });
    const outgoing: OutgoingRequest = {
      url,
      method,
      headers: [['host', url.host], ...Object.entries(signed)],
      body: x.body,
    };
    await say(redact(verboseRequest(outgoing)));
    const signal =
      options.maxTimeSeconds === undefined ? undefined : AbortSignal.timeout(options.maxTimeSeconds * 1000);
    let response: IncomingMessage;
    try {
      response = await send(outgoing, x.agent, signal);
    } catch (error) {
      if (error instanceof CliError && error.exitCode === ExitCode.timeout && attempt < options.retry) {
        await warnRetry(options, io, `${error.message}`, attempt, retryDelayMs(options, attempt + 1));
        continue;
      }
      throw error;
    }
    await say(verboseResponse(response));
    const status = response.statusCode ?? 0;
    if (RETRYABLE_STATUS.has(status) && attempt < options.retry) {
      response.resume();
      await warnRetry(
        options,
        io,
        `HTTP error ${status}`,
        attempt,
        retryDelayMs(options, attempt + 1, response),
      );
      continue;
    }
    return deliver(response, method, options, io);
  }
}

async function warnRetry(
  options: CliOptions,
  io: CliIo,
  why: string,
  attempt: number,
  delayMs: number,
): Promise<void> {
  if (!options.silent || options.showError)
    await write(
      io.stderr,
      `Warning: ${why}. Will retry in ${Math.round(delayMs / 1000)} seconds. ${options.retry - attempt} retries left.\n`,
    );
  await new Promise((resolve) => setTimeout(resolve, delayMs));
}

/** The body to stdout or the `-o` file; a failed read and a failed write end with different codes, as in curl. */
async function copyBody(response: IncomingMessage, target: Writable): Promise<void> {
  const chunks = response[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      const exitCode = transportExitCode(error as NodeJS.ErrnoException);
      const message = exitCode === ExitCode.timeout ? 'Operation timed out' : (error as Error).message;
      throw new CliError(`receiving the body failed: ${message}`, exitCode, { cause: error });
    }
    if (next.done) return;
    try {
      await write(target, next.value);
    } catch (error) {
      response.destroy();
      throw new CliError(
        `Failure writing output to destination: ${(error as Error).message}`,
        ExitCode.writeError,
        {
          cause: error,
        },
      );
    }
  }
}

/** Prints what curl prints for this response, and returns the exit code. */
async function deliver(
  response: IncomingMessage,
  method: string,
  options: CliOptions,
  io: CliIo,
): Promise<ExitCodeValue> {
  const status = response.statusCode ?? 0;
  const failed = options.fail && status >= 400;
  let target: Writable = io.stdout;
  if (options.output !== undefined && !failed) {
    const file = createWriteStream(options.output);
    try {
      await once(file, 'open');
    } catch (error) {
      response.resume();
      throw new CliError(
        `could not write '${options.output}': ${(error as Error).message}`,
        ExitCode.writeError,
        {
          cause: error,
        },
      );
    }
    target = file;
  }
  if (options.include || options.head) await write(target, responseHead(response));
  if (failed) {
    response.resume();
    throw new CliError(`The requested URL returned error: ${status}`, ExitCode.httpError);
  }
  try {
    if (method === 'HEAD' || options.head) response.resume();
    else await copyBody(response, target);
  } finally {
    if (target !== io.stdout) await new Promise((resolve) => target.end(resolve));
  }
  return ExitCode.ok;
}

/** The whole command: parses `argv`, runs it, prints curl-style errors, returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseArguments(argv);
    if (options.help) {
      await write(io.stdout, USAGE);
      return ExitCode.ok;
    }
    if (options.version) {
      await write(io.stdout, `signed-fetch ${VERSION}\n`);
      return ExitCode.ok;
    }
    return await execute(options, io);
  } catch (error) {
    const failure =
      error instanceof CliError
        ? error
        : new CliError((error as Error).message ?? String(error), ExitCode.failure, { cause: error });
    const quiet = options?.silent === true && !options.showError;
    if (!quiet) {
      await write(io.stderr, `signed-fetch: (${failure.exitCode}) ${failure.message}\n`);
      if (failure.exitCode === ExitCode.usage)
        await write(io.stderr, "signed-fetch: try 'signed-fetch --help' for more information\n");
    }
    return failure.exitCode;
  }
}
