// The Lambda runtime inside one execution environment (a worker thread with its own process.env).
// Plain JavaScript on purpose: it is loaded by `new Worker(file)` both from TypeScript tests and from
// the CLI, with no transpiler in between. It loads the function's handler once (cold start) and then
// serves one invocation at a time, as Lambda does.
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');

const { codeDir, handler, functionName, functionArn, memoryMb, timeoutMs, logGroupName, logStreamName } =
  workerData;

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

let handlerFn;
const initStarted = process.hrtime.bigint();
try {
  handlerFn = loadHandler();
  parentPort.postMessage({ type: 'ready', initMs: Number(process.hrtime.bigint() - initStarted) / 1e6 });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: errorPayload(error) });
}

parentPort.on('message', (message) => {
  if (message.type !== 'invoke') return;
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
    parentPort.postMessage({ type: 'result', requestId: message.requestId, ...payload });
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
