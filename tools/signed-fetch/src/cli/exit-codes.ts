/**
 * Exit codes, curl's where the meaning is the same (https://curl.se/libcurl/c/libcurl-errors.html),
 * so scripts that handle curl's codes handle these.
 */
export const ExitCode = {
  ok: 0,
  /** Anything else: no credentials, the role could not be assumed, no region... (the message says which). */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  couldNotResolveHost: 6,
  couldNotConnect: 7,
  /** `--fail` and an HTTP status >= 400. */
  httpError: 22,
  /** `-o` could not be written. */
  writeError: 23,
  /** A `@file` (or stdin) for `-d`/`--data-binary`/`--json` could not be read. */
  readError: 26,
  /** `--max-time` ran out. */
  timeout: 28,
  /** The connection broke while receiving. */
  receiveError: 56,
  /** The server's TLS certificate was not accepted. */
  tlsError: 60,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure with the exit code it ends the command with. */
export class CliError extends Error {
  public constructor(
    message: string,
    public readonly exitCode: ExitCodeValue,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
