import { sourceMappedStack } from './source-mapped-stack';

/** Fields every log line may carry; values must never include secrets or credentials. */
export type LogFields = Record<string, unknown>;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` too (e.g. the request id and the caller's `userArn`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  /** Where lines go; one JSON document per call. Defaults to stdout (CloudWatch Logs on AWS). */
  write?: (line: string) => void;
  fields?: LogFields;
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return {
    name: error.name,
    message: error.message,
    // Bundled code's frames given in the original sources, when the bundle's source map is beside it.
    stack: typeof error.stack === 'string' ? sourceMappedStack(error.stack) : error.stack,
    ...(error.cause === undefined ? {} : { cause: serializeError(error.cause) }),
  };
}

/**
 * A structured JSON logger: one line per event, so CloudWatch Logs Insights (or `jq` locally) can query it.
 *
 * @example
 * const logger = createLogger({ service: 'customer-service' });
 * logger.child({ userArn }).info('customer created', { customerId });
 */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = { service: options.service, ...options.fields };
  const log = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    const entries = Object.entries(fields).map(([key, value]) => [key, serializeError(value)]);
    write(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level,
        message,
        ...base,
        ...Object.fromEntries(entries),
      }),
    );
  };
  return {
    debug: (message, fields) => log('DEBUG', message, fields),
    info: (message, fields) => log('INFO', message, fields),
    warn: (message, fields) => log('WARN', message, fields),
    error: (message, fields) => log('ERROR', message, fields),
    child: (fields) => createLogger({ ...options, write, fields: { ...options.fields, ...fields } }),
  };
}
