import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CloudFormationTemplate } from '../cloudformation/template';

const ROOT = path.resolve(__dirname, '../../../..');
/**
 * The Serverless CLI a service is packaged with: the service's own (the nearest `node_modules/.bin/serverless` at
 * or above it), else the one installed with the local cloud.
 */
function serverlessBinFor(serviceDir: string): string {
  for (let dir = path.resolve(serviceDir); ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'serverless');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) break;
  }
  return path.join(ROOT, 'node_modules/.bin/serverless');
}
/** Where isolated copies are packaged: two levels below the root, like `apps/<service>`, so `../../infra` holds. */
const ISOLATED_BUILDS = path.join(ROOT, '.local-cloud-build');

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
  if (!existsSync(ISOLATED_BUILDS)) return;
  for (const name of readdirSync(ISOLATED_BUILDS)) {
    if (name.startsWith(`${process.pid}-`))
      rmSync(path.join(ISOLATED_BUILDS, name), { recursive: true, force: true });
  }
  if (readdirSync(ISOLATED_BUILDS).length === 0) rmSync(ISOLATED_BUILDS, { recursive: true, force: true });
}

function isolatedCopy(serviceDir: string): string {
  // <root>/.local-cloud-build/<pid>-<service>: the same depth as apps/<service>.
  const copy = path.join(ISOLATED_BUILDS, `${process.pid}-${path.basename(serviceDir)}`);
  mkdirSync(copy, { recursive: true });
  cpSync(serviceDir, copy, {
    recursive: true,
    // Only what packaging reads: no build output, and no project.json, so Nx never sees a second project.
    filter: (source) =>
      !/[\\/](\.serverless|\.esbuild|node_modules|tests|project\.json|jest\.config\.js)$/.test(source),
  });
  return copy;
}

/**
 * `serverless package --stage <stage>`: the same template and zips an AWS deploy would upload.
 * Throws with serverless's own output when packaging fails.
 */
export function packageService(sourceDir: string, options: PackageOptions = {}): PackagedService {
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
    execFileSync(serverlessBinFor(serviceDir), ['package', '--stage', stage], {
      cwd: serviceDir,
      stdio: 'pipe',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', TMPDIR: packagingTmp },
      // A serverless that waits for input (v4's login prompt) must not hang the cloud's start for ever.
      timeout: 300_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `serverless package failed in ${serviceDir}:\n${String(stdout ?? '')}${String(stderr ?? '')}`.trim(),
      { cause: error },
    );
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
