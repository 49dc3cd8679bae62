import { parseArgs } from 'node:util';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../identity';
import { LocalCloud } from '../local-cloud';
import { runLoadTest } from '../testing/load-test';

/**
 * `npm run load [-- --requests N --tampered N --concurrency N]`: a local cloud in memory (loopback only), an
 * AWS_IAM API, signed requests with tampered ones mixed in. Fails (exit 1) on any unexpected answer, an
 * unhealthy cloud afterwards, or heap growth after warm-up above --max-heap-growth-mb.
 */

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '5000' },
      tampered: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '32' },
      'max-heap-growth-mb': { type: 'string', default: '64' },
    },
  });
  const number = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
    return value;
  };
  const options = {
    requests: number('requests'),
    tampered: number('tampered'),
    concurrency: number('concurrency'),
  };
  if (options.tampered > options.requests) throw new Error('--tampered cannot exceed --requests');
  const gcNote = (globalThis as { gc?: unknown }).gc
    ? 'heap measured after GC'
    : 'run with --expose-gc for exact heap figures';
  console.log(
    `Load: ${options.requests} signed requests (${options.tampered} tampered) at concurrency ${options.concurrency}, in-memory local cloud on loopback (${gcNote})`,
  );
  const cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  try {
    const summary = await runLoadTest(cloud, {
      ...options,
      credentials: seededUserKeys('developer'),
    });
    const growth = summary.heapAtEndMb - summary.heapAfterWarmupMb;
    console.table({
      requests: summary.requests,
      'accepted (200)': summary.accepted,
      'refused (403)': summary.refused,
      unexpected: summary.unexpected.length,
      seconds: Number(summary.seconds.toFixed(1)),
      'requests/s': Math.round(summary.rps),
      'p50 ms': Number(summary.p50_ms.toFixed(1)),
      'p99 ms': Number(summary.p99_ms.toFixed(1)),
      'heap after warm-up MB': summary.heapAfterWarmupMb,
      'heap at end MB': summary.heapAtEndMb,
      'healthy after': summary.healthyAfter,
    });
    const failures = [
      ...summary.unexpected,
      ...(summary.healthyAfter ? [] : ['the local cloud did not answer /_local/health afterwards']),
      ...(growth > number('max-heap-growth-mb') ? [`heap grew ${growth.toFixed(1)} MB after warm-up`] : []),
      ...(summary.accepted !== options.requests - options.tampered
        ? [`${summary.accepted} accepted, expected ${options.requests - options.tampered}`]
        : []),
    ];
    if (failures.length > 0) {
      console.error(`FAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log('OK: every good request accepted, every tampered one refused.');
    }
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
