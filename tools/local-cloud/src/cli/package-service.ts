import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { CloudFormationTemplate } from '../cloudformation/template';

/** The nearest `node_modules/.bin/serverless` at or above `start`. */
function nearestServerlessBin(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'serverless');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The Serverless CLI a service is packaged with: the service's own (its project's `osls` or `serverless`), else
 * the one beside the local cloud's installation.
 */
function serverlessBinFor(serviceDir: string): string {
  const bin = nearestServerlessBin(serviceDir) ?? nearestServerlessBin(__dirname);
  if (bin) return bin;
  throw new Error(
    `No Serverless Framework CLI found for ${serviceDir}: install one in its project (npm install --save-dev osls serverless-esbuild esbuild)`,
  );
}

/**
 * Where isolated copies of a service are packaged: `.local-cloud-build/` two levels above it, so the copy sits at
 * the service's own depth and its relative paths (`../../infra/...` from `apps/<service>`) still resolve.
 */
const isolatedBuildsOf = (serviceDir: string) => path.resolve(serviceDir, '../../.local-cloud-build');
const isolatedBuildRoots = new Set<string>();

export interface PackagedService {
  /** `{service}-{stage}`, the stack name the Serverless Framework uses. */
  stackName: string;
  templateFile: string;
  template: CloudFormationTemplate;
  /** The `serverless package` output folder (template and function zips). */
  artifactsDir: string;
}

export interface PackageOptions {
  stage?: string;
  /**
   * Package a copy of the service (sources and config) instead of the service folder itself, so a
   * concurrent `nx package` of the same service (its `.serverless/`, serverless-esbuild's `.esbuild/`) is
   * left alone. For tests. The copy is kept until `removeIsolatedBuilds()`.
   */
  isolated?: boolean;
}

/** Deletes the copies `packageService(..., { isolated: true })` made in this process. */
export function removeIsolatedBuilds(): void {
  for (const builds of isolatedBuildRoots) {
    if (!existsSync(builds)) continue;
    for (const name of readdirSync(builds)) {
      if (name.startsWith(`${process.pid}-`))
        rmSync(path.join(builds, name), { recursive: true, force: true });
    }
    if (readdirSync(builds).length === 0) rmSync(builds, { recursive: true, force: true });
  }
  isolatedBuildRoots.clear();
}

function isolatedCopy(serviceDir: string): string {
  const builds = isolatedBuildsOf(serviceDir);
  isolatedBuildRoots.add(builds);
  const copy = path.join(builds, `${process.pid}-${path.basename(serviceDir)}`);
  mkdirSync(copy, { recursive: true });
  cpSync(serviceDir, copy, {
    recursive: true,
    // Only what packaging reads: no build output, and no project.json, so Nx never sees a second project.
    filter: (source) =>
      !/[\\/](\.serverless|\.esbuild|node_modules|tests|project\.json|jest\.config\.js)$/.test(source),
  });
  return copy;
}

/** How long a serverless that has printed its error report may take to exit before it is stopped. */
const EXIT_AFTER_ERROR_MS = 3_000;
/** Packaging that takes longer (e.g. Serverless v4 waiting at its login prompt) is stopped. */
const PACKAGING_TIMEOUT_MS = 300_000;
/** The last lines of Serverless's error report (osls and Serverless v3: `Environment: linux, node 20.20.2, ...`). */
const ERROR_REPORT = /^Environment: \S+, node /m;

/**
 * Runs `serverless <args>` in `cwd` as its own process group; resolves with its output when it exits with 0,
 * rejects with the output otherwise. A serverless that reported an error but does not exit is stopped, with the
 * processes it started: serverless-esbuild 1.57 leaves esbuild's service process running after a failed build
 * (its build context is only disposed after a successful package), which would keep it alive until the timeout.
 */
function runServerless(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let stoppedBecause: string | undefined;
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const stopGroup = (reason: string) => {
      stoppedBecause ??= reason;
      killGroup();
    };
    const timeout = setTimeout(
      () => stopGroup(`it did not finish within ${PACKAGING_TIMEOUT_MS / 1000} s`),
      PACKAGING_TIMEOUT_MS,
    );
    let afterError: NodeJS.Timeout | undefined;
    const collect = (chunk: string) => {
      output += chunk;
      // Coloured when FORCE_COLOR is set (jest's workers set it): the report's lines start with escape codes.
      if (!afterError && ERROR_REPORT.test(stripVTControlCharacters(output)))
        afterError = setTimeout(
          () => stopGroup('it reported the error above and did not exit (esbuild left running)'),
          EXIT_AFTER_ERROR_MS,
        );
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.once('error', (error) => {
      clearTimeout(timeout);
      clearTimeout(afterError);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timeout);
      clearTimeout(afterError);
      if (code === 0 && stoppedBecause === undefined) return resolve(output);
      killGroup(); // whatever it started (esbuild's service) goes with it
      const ending = stoppedBecause ? `stopped: ${stoppedBecause}` : `exit code ${code}`;
      reject(new Error(`${output.trim()}\n(serverless ${args.join(' ')}: ${ending})`));
    });
  });
}

/**
 * `serverless package --stage <stage>`: the same template and zips an AWS deploy would upload.
 * Rejects with serverless's own output when packaging fails.
 */
export async function packageService(
  sourceDir: string,
  options: PackageOptions = {},
): Promise<PackagedService> {
  if (
    !existsSync(path.join(sourceDir, 'serverless.yml')) &&
    !existsSync(path.join(sourceDir, 'serverless.yaml'))
  )
    throw new Error(`${sourceDir} has no serverless.yml: give the folder of a Serverless service`);
  const stage = options.stage ?? 'local';
  const serviceDir = options.isolated ? isolatedCopy(sourceDir) : sourceDir;
  const artifactsDir = path.join(serviceDir, '.serverless');
  // serverless-esbuild zips each function from a folder in the temp dir and then fails to delete it (a
  // non-recursive remove): ~1.5 MB left behind per function and package. So it gets a temp dir of its own, removed
  // afterwards.
  const packagingTmp = mkdtempSync(path.join(tmpdir(), 'local-cloud-package-'));
  try {
    await runServerless(serverlessBinFor(serviceDir), ['package', '--stage', stage], serviceDir, {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      TMPDIR: packagingTmp,
    });
  } catch (error) {
    throw new Error(`serverless package failed in ${serviceDir}:\n${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    rmSync(packagingTmp, { recursive: true, force: true });
  }
  const state = JSON.parse(readFileSync(path.join(artifactsDir, 'serverless-state.json'), 'utf8')) as {
    service: { service: string };
  };
  const templateFile = path.join(artifactsDir, 'cloudformation-template-update-stack.json');
  return {
    stackName: `${state.service.service}-${stage}`,
    templateFile,
    template: JSON.parse(readFileSync(templateFile, 'utf8')) as CloudFormationTemplate,
    artifactsDir,
  };
}
