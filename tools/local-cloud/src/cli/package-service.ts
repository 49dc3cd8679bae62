import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CloudFormationTemplate } from '../cloudformation/template';

const SERVERLESS_BIN = path.resolve(__dirname, '../../../../node_modules/.bin/serverless');

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
  /** Where `serverless package` writes; default `<serviceDir>/.serverless`. */
  outDir?: string;
}

/**
 * `serverless package --stage <stage>`: the same template and zips an AWS deploy would upload.
 * Throws with serverless's own output when packaging fails.
 */
export function packageService(serviceDir: string, options: PackageOptions = {}): PackagedService {
  const stage = options.stage ?? 'local';
  const artifactsDir = options.outDir ?? path.join(serviceDir, '.serverless');
  try {
    execFileSync(SERVERLESS_BIN, ['package', '--stage', stage, '--package', artifactsDir], {
      cwd: serviceDir,
      stdio: 'pipe',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `serverless package failed in ${serviceDir}:\n${String(stdout ?? '')}${String(stderr ?? '')}`.trim(),
      { cause: error },
    );
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
