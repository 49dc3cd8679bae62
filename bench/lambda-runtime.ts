import { performance } from 'node:perf_hooks';
import { deployProbeStack, LOCAL_IDENTITIES_FILE, LocalCloud } from '@sigv4-auth/local-cloud';
import { median, microsecondsPerCall, type MeasureOptions } from './measure';

export interface LambdaRuntimeResults {
  /** Deploy-to-first-answer of a trivial function: a new execution environment, its init and one invoke. */
  cold_start_ms: number;
  /** One request through a NONE route to a warm environment, one at a time. */
  warm_invoke_ms: number;
}

/**
 * The cost of the Lambda runtime itself (each execution environment is its own node process): a trivial
 * function behind a NONE route of an in-memory local cloud in this process.
 */
export async function benchLambdaRuntime(
  options: MeasureOptions,
  coldStarts = 7,
): Promise<LambdaRuntimeResults> {
  const cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  try {
    const call = async (url: string) => {
      const response = await fetch(`${url}/items/42`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`lambda-runtime bench: status ${response.status}`);
    };
    const colds: number[] = [];
    let url = '';
    for (let i = 0; i < coldStarts; i += 1) {
      // A redeploy replaces the function: its environments go, the next request starts a new one.
      ({ url } = await deployProbeStack(cloud, { stackName: 'runtime-bench' }));
      const started = performance.now();
      await call(url);
      colds.push(performance.now() - started);
    }
    // A long warm-up: the HTTP path and the IPC channel reach steady state only after a few thousand calls.
    for (let i = 0; i < 2000; i += 1) await call(url);
    const warmUs = await microsecondsPerCall(() => call(url), options);
    return { cold_start_ms: median(colds), warm_invoke_ms: warmUs / 1000 };
  } finally {
    await cloud.stop();
  }
}
