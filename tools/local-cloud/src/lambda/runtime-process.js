// The Lambda runtime inside one execution environment: its own node process, started by the local cloud with
// exactly Lambda's environment (nothing of the host's), its working directory in the function's code, and
// node's permission model limiting file access to that code and the environment's own temp folder.
// Plain JavaScript on purpose: it runs in plain node, with no transpiler, whether the cloud runs from
// TypeScript (tests, tsx) or compiled. It loads the handler once (cold start), then serves one invocation at a
// time over the IPC channel, as Lambda's runtime API does.
'use strict';
const path = require('node:path');

const { handler, functionName, functionArn, memoryMb, timeoutMs, logGroupName, logStreamName } = JSON.parse(
  process.argv[2],
);
const codeDir = process.env.LAMBDA_TASK_ROOT;

function loadHandler() {
  const dot = handler.lastIndexOf('.');
  const modulePath = path.join(codeDir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const loaded = require(modulePath);
  const fn = loaded[exportName];
  if (typeof fn !== 'function') {
    throw new Error(`Handler '${handler}' is missing on module '${handler.slice(0, dot)}'`);
  }
  return fn;
}

function errorPayload(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack || '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

// A function may signal itself, never another process: SIGUSR1 would open a node process's inspector (the
// cloud's, with its memory, or any other node process of the developer's), and other signals stop processes.
// Node's permission model covers neither process._kill (under process.kill) nor process._debugProcess (which
// sends SIGUSR1 to any pid); with it on, process.binding is refused, so these two are the doors. Guarded here,
// before any function code runs, and locked so no code can put the originals back.
function ownProcessOnly(name, original) {
  Object.defineProperty(process, name, {
    configurable: false,
    writable: false,
    value: (pid, ...rest) => {
      if (pid !== process.pid) {
        const error = new Error(`A function may signal only its own process (${process.pid}), not ${pid}`);
        error.code = 'ERR_ACCESS_DENIED';
        throw error;
      }
      return original.call(process, pid, ...rest);
    },
  });
}
ownProcessOnly('_kill', process._kill);
ownProcessOnly('_debugProcess', process._debugProcess);

// The channel to the cloud is the runtime's, not the function's (Lambda gives functions none): `send` and
// `disconnect` are kept here and removed from process before the handler loads. (Node's own send needs
// process.channel and process.connected, which stay; the cloud accepts only a result of the invocation in
// progress, so a function can at most answer for itself, as it does anyway.)
const send = process.send.bind(process);
for (const name of ['send', 'disconnect']) {
  Object.defineProperty(process, name, { configurable: true, enumerable: false, value: undefined });
}

// Cognito's JWKS and OpenID configuration, asked of AWS's own host (what unmodified verifiers such as
// aws-jwt-verify's CognitoJwtVerifier fetch: the token's `iss` + /.well-known/jwks.json), are answered by the
// local cloud, which signed the tokens: https.request/get and fetch for exactly those two documents of
// `cognito-idp.<region>.amazonaws.com` go to AWS_ENDPOINT_URL. Every other request goes where it was sent.
// https is patched when the function first requires it (loading http and https up front would cost every cold
// start about 10 ms); fetch needs no module. (An ES module `import 'node:https'` is not seen: Lambda bundles
// made by serverless-esbuild here are CommonJS.)
function redirectCognitoWellKnown() {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  const cognitoHost = `cognito-idp.${process.env.AWS_REGION}.amazonaws.com`;
  const wellKnown = /^\/[\w-]+_[0-9a-zA-Z]+\/\.well-known\/(?:jwks\.json|openid-configuration)$/;
  if (!endpoint) return;
  const localUrl = (url) =>
    url && url.protocol === 'https:' && url.hostname === cognitoHost && wellKnown.test(url.pathname)
      ? new URL(url.pathname + url.search, endpoint)
      : undefined;
  const toUrl = (input) => {
    if (input instanceof URL) return input;
    if (typeof input === 'string') {
      try {
        return new URL(input);
      } catch {
        return undefined;
      }
    }
    if (input && typeof input === 'object' && typeof input.url === 'string') return toUrl(input.url);
    if (input && typeof input === 'object' && (input.hostname || input.host)) {
      const host = String(input.hostname || input.host).replace(/:\d+$/, '');
      return toUrl(`https://${host}${input.path || '/'}`);
    }
    return undefined;
  };
  const patchHttps = (https) => {
    const originalRequest = https.request;
    https.request = function request(input, options, callback) {
      const local = localUrl(toUrl(input));
      if (!local) return originalRequest.apply(this, arguments);
      if (typeof options === 'function') [callback, options] = [options, undefined];
      // From the options, keep what is not about where to connect (method, headers, timeouts, signal).
      const base = input && typeof input === 'object' && !(input instanceof URL) ? input : {};
      const rest = { ...base, ...(options || {}) };
      // Everything about where and how to connect goes: the local cloud's URL decides that alone.
      for (const key of [
        'agent',
        'host',
        'hostname',
        'port',
        'protocol',
        'path',
        'href',
        'socketPath',
        'lookup',
        'createConnection',
        'localAddress',
        'family',
      ])
        delete rest[key];
      return require('node:http').request(local, rest, callback);
    };
    const originalGet = https.get;
    https.get = function get(input) {
      // Only a redirected get goes through the patched request; any other is the original (wrappers such as
      // tracing agents see it once).
      if (!localUrl(toUrl(input))) return originalGet.apply(this, arguments);
      const req = https.request(...arguments);
      req.end();
      return req;
    };
  };
  const Module = require('node:module');
  const originalRequire = Module.prototype.require;
  let patched = false;
  Module.prototype.require = function require(id) {
    const exported = originalRequire.apply(this, arguments);
    if (!patched && (id === 'https' || id === 'node:https')) {
      patched = true;
      patchHttps(exported);
    }
    return exported;
  };
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch === 'function') {
    globalThis.fetch = function fetch(input, init) {
      const local = localUrl(toUrl(input));
      if (!local) return originalFetch(input, init);
      return originalFetch(input instanceof Request ? new Request(local, input) : local, init);
    };
  }
}
redirectCognitoWellKnown();

let handlerFn;
const initStarted = process.hrtime.bigint();
try {
  handlerFn = loadHandler();
  send({ type: 'ready', initMs: Number(process.hrtime.bigint() - initStarted) / 1e6 });
} catch (error) {
  send({ type: 'init-error', error: errorPayload(error) });
}

// The cloud going away (stop, crash) closes the channel: this environment ends with it.
process.on('disconnect', () => process.exit(0));

// The local cloud's clock: when tests move it, the function's Date moves with it, so what a function signs,
// stamps or checks (SigV4, token expiry, log times) agrees with the cloud. Untouched until the clock moves.
const RealDate = Date;
let clockOffsetMs = 0;
function CloudDate(...args) {
  if (!new.target) return new CloudDate().toString();
  return args.length === 0 ? new RealDate(RealDate.now() + clockOffsetMs) : new RealDate(...args);
}
CloudDate.prototype = RealDate.prototype;
CloudDate.now = () => RealDate.now() + clockOffsetMs;
CloudDate.parse = RealDate.parse;
CloudDate.UTC = RealDate.UTC;
function followCloudClock(offsetMs) {
  // Under 50 ms is the two clocks being read a moment apart, not a moved clock.
  clockOffsetMs = typeof offsetMs === 'number' && Math.abs(offsetMs) >= 50 ? offsetMs : 0;
  if (clockOffsetMs !== 0 && globalThis.Date === RealDate) globalThis.Date = CloudDate;
}

process.on('message', (message) => {
  if (message.type !== 'invoke' || !handlerFn) return;
  followCloudClock(message.clockOffsetMs);
  const deadline = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: message.requestId,
    logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let settled = false;
  const reply = (payload) => {
    if (settled) return;
    settled = true;
    try {
      send({ type: 'result', requestId: message.requestId, ...payload });
    } catch (error) {
      // A result that cannot be serialized (a BigInt, a cycle) is the function's error, as on Lambda.
      send({ type: 'result', requestId: message.requestId, error: errorPayload(error) });
    }
  };
  try {
    // Both handler styles Lambda supports: async (returns a promise) and callback.
    const returned = handlerFn(message.event, context, (error, result) =>
      error ? reply({ error: errorPayload(error) }) : reply({ result }),
    );
    if (returned && typeof returned.then === 'function') {
      returned.then(
        (result) => reply({ result }),
        (error) => reply({ error: errorPayload(error) }),
      );
    }
  } catch (error) {
    reply({ error: errorPayload(error) });
  }
});
