import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { unzipSync } from 'fflate';
import type { PackagedService } from '@sigv4-auth/local-cloud';
import { median } from './measure';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

export interface ColdStart {
  function: string;
  bytes: number;
  init_ms: number;
  baseline_bytes: number;
  baseline_init_ms: number;
  /**
   * The same bundle with NODE_OPTIONS=--enable-source-maps, as the services once deployed it: what parsing the
   * source map at load costs each cold start (they now map a stack only when an error is logged).
   */
  init_with_source_maps_ms: number;
}

/**
 * Milliseconds to load (require) a bundle in a fresh node process: what a Lambda cold start pays for the code
 * before the first event (node's own start excluded). Median of `runs`.
 */
async function initMs(file: string, env: Record<string, string>, runs: number): Promise<number> {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    times.push(Number(stdout));
  }
  return median(times);
}

/**
 * Every deployed function of the packaged services: the handler file in its zip (bytes; init as deployed)
 * against a baseline bundle of the same handler source with esbuild's defaults plus minify
 * (default mainFields, so the SDK's CommonJS builds; no source map): the first probe measured that
 * configuration at 547 KB.
 */
export async function benchColdStarts(packages: PackagedService[], runs: number): Promise<ColdStart[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coldstart-'));
  const results: ColdStart[] = [];
  try {
    for (const packaged of packages) {
      const service = packaged.stackName.replace(/-local$/, '');
      for (const [logicalId, resource] of Object.entries(packaged.template.Resources ?? {})) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const properties = resource.Properties as {
          Handler: string;
          Code: { S3Key: string };
          Environment?: { Variables?: Record<string, unknown> };
        };
        const name = logicalId.replace(/LambdaFunction$/, '');
        const files = unzipSync(
          readFileSync(path.join(packaged.artifactsDir, path.basename(properties.Code.S3Key))),
        );
        const handlerFile = `${properties.Handler.slice(0, properties.Handler.lastIndexOf('.'))}.js`;
        const code = files[handlerFile];
        if (!code) throw new Error(`${name}: ${handlerFile} is not in its zip`);
        // The whole zip, its source map too (read when an error is logged, and by the --enable-source-maps run).
        const unpacked = path.join(dir, service, name);
        for (const [file, bytes] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(unpacked, file)), { recursive: true });
          writeFileSync(path.join(unpacked, file), bytes);
        }
        const ours = path.join(unpacked, handlerFile);
        const baseline = path.join(dir, service, `${name}.baseline.js`);
        await build({
          entryPoints: [path.join(ROOT, 'apps', service, handlerFile.replace(/\.js$/, '.ts'))],
          outfile: baseline,
          bundle: true,
          minify: true,
          platform: 'node',
          tsconfig: path.join(ROOT, 'apps', service, 'tsconfig.json'),
          logLevel: 'error',
        });
        // Intrinsics (imports, refs) become placeholders: module init only reads them.
        const env = Object.fromEntries(
          Object.entries(properties.Environment?.Variables ?? {}).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : 'bench-placeholder',
          ]),
        );
        results.push({
          function: `${service}/${name}`,
          bytes: code.byteLength,
          init_ms: await initMs(ours, { AWS_REGION: 'us-east-1', ...env }, runs),
          baseline_bytes: readFileSync(baseline).byteLength,
          baseline_init_ms: await initMs(baseline, { AWS_REGION: 'us-east-1', ...env }, runs),
          init_with_source_maps_ms: await initMs(
            ours,
            { AWS_REGION: 'us-east-1', ...env, NODE_OPTIONS: '--enable-source-maps' },
            runs,
          ),
        });
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
