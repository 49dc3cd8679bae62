import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The first python3 on PATH that has botocore (Nx puts node's own folder, /usr/bin here, first on PATH,
 * ahead of pyenv's python that has it), for tests that check the local cloud against the AWS CLI's own code.
 */
export function pythonWithBotocore(): string {
  const candidates = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, 'python3'))
    .filter((file) => existsSync(file));
  const found = candidates.find((file) => spawnSync(file, ['-c', 'import botocore']).status === 0);
  if (!found)
    throw new Error(
      `No python3 with botocore on PATH (tried ${candidates.join(', ')}): pip install botocore`,
    );
  return found;
}
