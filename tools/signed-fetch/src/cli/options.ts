import { MAX_PRESIGN_EXPIRES_SECONDS } from '@sigv4-auth/signed-fetch';
import { CliError, ExitCode } from './exit-codes';

/** One `-d`/`--data-binary`/`--data-raw`/`--json` argument, as given (`@file` is read later). */
export interface DataArgument {
  kind: 'data' | 'data-binary' | 'data-raw' | 'json';
  value: string;
}

export interface CliOptions {
  url?: string;
  method?: string;
  /** In order; `value: null` removes a header (curl's `-H "Name:"`). */
  headers: Array<{ name: string; value: string | null }>;
  data: DataArgument[];
  include: boolean;
  head: boolean;
  output?: string;
  silent: boolean;
  showError: boolean;
  fail: boolean;
  maxTimeSeconds?: number;
  retry: number;
  retryDelaySeconds?: number;
  verbose: boolean;
  region?: string;
  service?: string;
  profile?: string;
  roleArn?: string;
  roleSessionName?: string;
  presign: boolean;
  expiresSeconds: number;
  local: boolean;
  /**
   * The time to sign at, from a `-H 'X-Amz-Date: 20150830T123600Z'`: as curl --aws-sigv4 does, a date the user
   * gives is the one signed (and sent), never replaced by now. Every attempt (retries too) signs with it.
   */
  signingDate?: Date;
  help: boolean;
  version: boolean;
}

/** Presigned URLs live 15 minutes unless `--expires` says otherwise. */
export const DEFAULT_PRESIGN_EXPIRES_SECONDS = 900;

type Setter = (options: CliOptions, value: string) => void;
interface OptionSpec {
  short?: string;
  /** Takes a value; a flag otherwise. */
  set?: Setter;
  flag?: (options: CliOptions) => void;
}

const number =
  (name: string, assign: (options: CliOptions, value: number) => void, integer = false): Setter =>
  (options, text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)))
      throw new CliError(
        `option --${name}: expected a ${integer ? 'whole ' : ''}number >= 0, got '${text}'`,
        ExitCode.usage,
      );
    assign(options, value);
  };

const data =
  (kind: DataArgument['kind']): Setter =>
  (options, value) => {
    options.data.push({ kind, value });
  };

const OPTIONS: Record<string, OptionSpec> = {
  request: { short: 'X', set: (o, v) => (o.method = v) },
  header: {
    short: 'H',
    set: (o, v) => {
      const colon = v.indexOf(':');
      const semicolon = v.indexOf(';');
      // curl: "Name: value" sets, "Name:" removes, "Name;" sends it empty.
      if (colon > 0) {
        const value = v.slice(colon + 1).trim();
        o.headers.push({ name: v.slice(0, colon).trim(), value: value === '' ? null : value });
      } else if (semicolon > 0 && v.slice(semicolon + 1).trim() === '') {
        o.headers.push({ name: v.slice(0, semicolon).trim(), value: '' });
      } else {
        throw new CliError(`option --header: expected 'Name: value', got '${v}'`, ExitCode.usage);
      }
    },
  },
  data: { short: 'd', set: data('data') },
  'data-ascii': { set: data('data') },
  'data-binary': { set: data('data-binary') },
  'data-raw': { set: data('data-raw') },
  json: { set: data('json') },
  include: { short: 'i', flag: (o) => (o.include = true) },
  head: { short: 'I', flag: (o) => (o.head = true) },
  output: { short: 'o', set: (o, v) => (o.output = v) },
  silent: { short: 's', flag: (o) => (o.silent = true) },
  'show-error': { short: 'S', flag: (o) => (o.showError = true) },
  fail: { short: 'f', flag: (o) => (o.fail = true) },
  'max-time': { short: 'm', set: number('max-time', (o, v) => (o.maxTimeSeconds = v)) },
  retry: { set: number('retry', (o, v) => (o.retry = v), true) },
  'retry-delay': { set: number('retry-delay', (o, v) => (o.retryDelaySeconds = v)) },
  verbose: { short: 'v', flag: (o) => (o.verbose = true) },
  region: { set: (o, v) => (o.region = v) },
  service: { set: (o, v) => (o.service = v) },
  profile: { set: (o, v) => (o.profile = v) },
  'role-arn': { set: (o, v) => (o.roleArn = v) },
  'role-session-name': { set: (o, v) => (o.roleSessionName = v) },
  presign: { flag: (o) => (o.presign = true) },
  expires: { set: number('expires', (o, v) => (o.expiresSeconds = v), true) },
  local: { flag: (o) => (o.local = true) },
  url: { set: (o, v) => setUrl(o, v) },
  help: { short: 'h', flag: (o) => (o.help = true) },
  version: { short: 'V', flag: (o) => (o.version = true) },
};

const BY_SHORT = new Map(
  Object.entries(OPTIONS).flatMap(([name, spec]) =>
    spec.short ? [[spec.short, [name, spec] as const]] : [],
  ),
);

function setUrl(options: CliOptions, url: string): void {
  if (options.url !== undefined) throw new CliError('only one URL per call', ExitCode.usage);
  options.url = url;
}

/**
 * curl's command line: `-X POST` or `-XPOST`, clustered flags (`-sSf`), repeatable `-H` and `-d`,
 * `--` ends the options. Unknown options are an error (exit 2), not ignored.
 */
export function parseArguments(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    headers: [],
    data: [],
    include: false,
    head: false,
    silent: false,
    showError: false,
    fail: false,
    retry: 0,
    verbose: false,
    presign: false,
    expiresSeconds: DEFAULT_PRESIGN_EXPIRES_SECONDS,
    local: false,
    help: false,
    version: false,
  };
  const valueOf = (name: string, index: number): string => {
    const value = argv[index];
    if (value === undefined) throw new CliError(`option --${name}: requires a value`, ExitCode.usage);
    return value;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') {
      for (const rest of argv.slice(index + 1)) setUrl(options, rest);
      break;
    }
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      const spec = OPTIONS[name];
      if (!spec) throw new CliError(`option ${arg}: is unknown`, ExitCode.usage);
      if (spec.set) spec.set(options, valueOf(name, (index += 1)));
      else spec.flag?.(options);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let at = 1; at < arg.length; at += 1) {
        const entry = BY_SHORT.get(arg[at] as string);
        if (!entry) throw new CliError(`option -${arg[at]}: is unknown`, ExitCode.usage);
        const [name, spec] = entry;
        if (spec.set) {
          const attached = arg.slice(at + 1);
          spec.set(options, attached !== '' ? attached : valueOf(name, (index += 1)));
          break;
        }
        spec.flag?.(options);
      }
    } else {
      setUrl(options, arg);
    }
  }
  return checked(options);
}

function checked(options: CliOptions): CliOptions {
  if (options.help || options.version) return options;
  if (options.url === undefined) throw new CliError('no URL given', ExitCode.usage);
  if (options.head && options.data.length > 0)
    throw new CliError(
      '-I/--head sends no body: it cannot be used with -d/--data-binary/--json',
      ExitCode.usage,
    );
  if (options.roleSessionName !== undefined && options.roleArn === undefined)
    throw new CliError('--role-session-name needs --role-arn', ExitCode.usage);
  const amzDate = options.headers.filter(({ name }) => name.toLowerCase() === 'x-amz-date');
  if (amzDate.length > 0) {
    const value = amzDate.at(-1)?.value;
    const basic =
      value === null || value === undefined
        ? null
        : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (!basic)
      throw new CliError(
        value === null || value === undefined
          ? '-H X-Amz-Date: SigV4 needs the header: leave it out to sign at the current time'
          : `-H X-Amz-Date: expected YYYYMMDD'T'HHMMSS'Z' (ISO 8601 basic, UTC), as SigV4 signs it; got '${value}'`,
        ExitCode.usage,
      );
    const [, year, month, day, hour, minute, second] = basic.map(Number) as number[];
    options.signingDate = new Date(
      Date.UTC(year as number, (month as number) - 1, day, hour, minute, second),
    );
    if (options.signingDate.toISOString().replace(/[-:]|\.\d{3}/g, '') !== value)
      throw new CliError(`-H X-Amz-Date: '${value}' is not a date`, ExitCode.usage);
    options.headers = options.headers.filter(({ name }) => name.toLowerCase() !== 'x-amz-date');
  }
  if (options.expiresSeconds < 1 || options.expiresSeconds > MAX_PRESIGN_EXPIRES_SECONDS)
    throw new CliError(
      `--expires: between 1 and ${MAX_PRESIGN_EXPIRES_SECONDS} seconds (7 days), as AWS allows`,
      ExitCode.usage,
    );
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError(`'${options.url}' is not a URL (include http:// or https://)`, ExitCode.usage);
  }
  try {
    decodeURIComponent(url.search); // the signer decodes the query to canonicalise it
  } catch {
    throw new CliError(`malformed %-encoding in the query of '${options.url}'`, ExitCode.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`unsupported protocol '${url.protocol}': http: or https: only`, ExitCode.usage);
  return options;
}
