import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CliError, ExitCode } from './exit-codes';
import type { DataArgument } from './options';

export interface RequestBody {
  bytes?: Uint8Array;
  /** The content type curl would send for these options (unless `-H content-type:` overrides it). */
  contentType?: string;
  /** `--json` was used: curl then also sends `Accept: application/json`. */
  json: boolean;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function piece(argument: DataArgument, stdin: Readable): Promise<Buffer> {
  if (argument.kind === 'data-raw' || !argument.value.startsWith('@')) return Buffer.from(argument.value);
  const file = argument.value.slice(1);
  let bytes: Buffer;
  try {
    bytes = file === '-' ? await readAll(stdin) : await readFile(file);
  } catch (error) {
    throw new CliError(
      `could not read ${file === '-' ? 'stdin' : `'${file}'`}: ${(error as Error).message}`,
      ExitCode.readError,
      { cause: error },
    );
  }
  // curl's -d/--data strips carriage returns and newlines from files; --data-binary and --json keep them.
  return argument.kind === 'data'
    ? Buffer.from(bytes.toString('latin1').replace(/[\r\n]/g, ''), 'latin1')
    : bytes;
}

/**
 * The body as curl builds it: `-d` pieces joined with `&`, `--json` pieces concatenated, `@file` / `@-`
 * read (a missing file is an error here, where curl would silently send nothing).
 */
export async function requestBody(data: readonly DataArgument[], stdin: Readable): Promise<RequestBody> {
  if (data.length === 0) return { json: false };
  const parts: Buffer[] = [];
  for (const [index, argument] of data.entries()) {
    const joinsWithoutSeparator = argument.kind === 'json' && data[index - 1]?.kind === 'json';
    if (index > 0 && !joinsWithoutSeparator) parts.push(Buffer.from('&'));
    parts.push(await piece(argument, stdin));
  }
  const json = data.some((argument) => argument.kind === 'json');
  return {
    bytes: new Uint8Array(Buffer.concat(parts)),
    contentType: json ? 'application/json' : 'application/x-www-form-urlencoded',
    json,
  };
}
