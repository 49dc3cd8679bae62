import { appendFileSync } from 'node:fs';
import type { AccessLogEntry } from '../gateway/access-log';
import type { RequestDecision } from './decision';

/** The AWS services the local cloud answers besides API Gateway's execute-api. */
export type ServiceName = 'sts' | 'dynamodb' | 'cognito-idp' | 'cloudformation' | 'apigateway' | 'cloudwatch';

/**
 * A refused call to one of the other services (STS, DynamoDB, Cognito's API, CloudFormation, API Gateway's
 * management API): one line of `logs/access.jsonl` beside the gateway's, with the same `decision`.
 */
export interface ServiceRequestEntry {
  time: string;
  requestId: string;
  service: ServiceName;
  /** `dynamodb:PutItem`, `sts:AssumeRole`, `cognito-idp:InitiateAuth`, ... */
  action: string;
  resource: string | null;
  status: number;
  principal: string | null;
  /** The error code and message the caller got (never a credential: signatures are cut out). */
  authError: string;
  decision: RequestDecision;
  sourceIp: string;
}

export type LoggedRequest = AccessLogEntry | ServiceRequestEntry;

/** `GET /_local/requests?...`: every given field must match; newest `limit` entries, oldest first. */
export interface RequestFilter {
  status?: number | { class: number };
  service?: string;
  apiId?: string;
  principal?: string;
  check?: string;
  since?: Date;
  limit: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const FILTER_KEYS = new Set(['status', 'service', 'apiId', 'principal', 'check', 'since', 'limit']);

/** Reads a filter from a query string; a message saying what is wrong for anything it cannot read. */
export function parseRequestFilter(rawQuery: string): RequestFilter | { error: string } {
  const params = new URLSearchParams(rawQuery);
  const filter: RequestFilter = { limit: DEFAULT_LIMIT };
  for (const [key, value] of params) {
    if (!FILTER_KEYS.has(key)) return { error: `Unknown filter ${key}: use ${[...FILTER_KEYS].join(', ')}` };
    if (params.getAll(key).length > 1) return { error: `Give ${key} once` };
    if (key === 'status') {
      const exact = /^[1-5]\d\d$/.test(value);
      const range = /^[1-5]xx$/i.exec(value);
      if (!exact && !range) return { error: 'status is a status code (403) or a class (4xx)' };
      filter.status = exact ? Number(value) : { class: Number(value[0]) };
    } else if (key === 'since') {
      const since = new Date(value);
      if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(since.getTime()))
        return { error: 'since is an ISO 8601 time, e.g. 2026-12-01T10:00:00Z' };
      filter.since = since;
    } else if (key === 'limit') {
      if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT)
        return { error: `limit is a number from 1 to ${MAX_LIMIT}` };
      filter.limit = Number(value);
    } else {
      if (value.length === 0 || value.length > 2048) return { error: `${key} must be 1 to 2048 characters` };
      filter[key as 'service' | 'apiId' | 'principal' | 'check'] = value;
    }
  }
  return filter;
}

function matches(entry: LoggedRequest, filter: RequestFilter): boolean {
  if (typeof filter.status === 'number' && entry.status !== filter.status) return false;
  if (typeof filter.status === 'object' && Math.floor(entry.status / 100) !== filter.status.class)
    return false;
  if (filter.service !== undefined && entry.service !== filter.service) return false;
  if (filter.apiId !== undefined && (!('apiId' in entry) || entry.apiId !== filter.apiId)) return false;
  if (filter.principal !== undefined && entry.principal !== filter.principal) return false;
  if (filter.check !== undefined && entry.decision?.check !== filter.check) return false;
  if (filter.since !== undefined && Date.parse(entry.time) < filter.since.getTime()) return false;
  return true;
}

/** Longer texts (a 16 KB path, an authorizer's error message) are cut: 11,000 entries must stay a few MB. */
const MAX_TEXT = 2048;
const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

const MAX_STATEMENTS = 20;

/** Whether the entry holds nothing to cut (nearly every one): it is then kept as it is, not copied per request. */
function withinLimits(entry: LoggedRequest): boolean {
  for (const value of Object.values(entry))
    if (typeof value === 'string' && value.length > MAX_TEXT) return false;
  const { decision } = entry;
  return (
    !decision || (decision.detail.length <= MAX_TEXT && (decision.statements?.length ?? 0) <= MAX_STATEMENTS)
  );
}

function capped(entry: LoggedRequest): LoggedRequest {
  if (withinLimits(entry)) return entry;
  const copy: Record<string, unknown> = { ...entry };
  for (const [key, value] of Object.entries(copy)) if (typeof value === 'string') copy[key] = cut(value);
  if (entry.decision)
    copy.decision = {
      ...entry.decision,
      detail: cut(entry.decision.detail),
      ...(entry.decision.statements
        ? { statements: entry.decision.statements.slice(0, MAX_STATEMENTS) }
        : {}),
    };
  return copy as unknown as LoggedRequest;
}

/** How long a recorded entry may wait in memory before it is appended to the file. */
const FLUSH_MS = 50;
/** Pending lines past this are appended at once. */
const FLUSH_BYTES = 256 * 1024;

/** Logs with lines not yet on disk: flushed when the process exits, stopped or not (one handler for all). */
const unflushed = new Set<RequestLog>();
let exitHookInstalled = false;

/**
 * Every request the gateway answered and every refusal of the other services, newest last: in memory (the last
 * `capacity`) and, with a state folder, appended to `logs/access.jsonl`.
 */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  /** Lines recorded but not yet appended to the file, and their length. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private writeFailed = false;
  /** How many entries were ever recorded: the sequence number of the newest one. */
  private recorded = 0;
  private readonly listeners = new Set<(entry: LoggedRequest) => void>();

  public constructor(private readonly options: { file?: string; capacity?: number } = {}) {}

  public record(logged: LoggedRequest): void {
    const capacity = this.options.capacity ?? 10_000;
    const entry = capped(logged);
    this.entries.push(entry);
    this.recorded++;
    // Trimmed in batches: one copy per capacity/10 requests, not one per request.
    if (this.entries.length > capacity + Math.ceil(capacity / 10))
      this.entries = this.entries.slice(this.entries.length - capacity);
    if (this.options.file) {
      // Appended in batches (every 50 ms, or 256 KB): one write per burst, not an open, write and close per request.
      const line = `${JSON.stringify(entry)}\n`;
      this.pending.push(line);
      this.pendingBytes += line.length;
      unflushed.add(this);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', () => unflushed.forEach((log) => log.flush()));
      }
      if (this.pendingBytes >= FLUSH_BYTES) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
    }
    for (const listener of this.listeners) listener(entry);
  }

  /**
   * Appends what is pending to the file now (the local cloud calls it when it stops; a process that exits without
   * stopping flushes too). At most 50 ms of entries are lost if the process is killed.
   */
  public flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    unflushed.delete(this);
    if (!this.options.file || this.pending.length === 0) return;
    const text = this.pending.join('');
    try {
      // Created readable by the developer's OS user only: it names every caller and policy statement.
      appendFileSync(this.options.file, text, { mode: 0o600 });
    } catch (error) {
      // The logs folder gone, the disk full: the entries stay in memory (and in /_local/requests), the cloud runs
      // on, and the next batch tries again. Said once per failing spell, not per batch.
      if (!this.writeFailed)
        process.emitWarning(
          `The request log could not be appended to ${this.options.file}: ${(error as Error).message}`,
        );
      this.writeFailed = true;
      // Kept for the next try, up to one batch's worth: the oldest go first.
      while (this.pendingBytes > FLUSH_BYTES && this.pending.length > 1)
        this.pendingBytes -= (this.pending.shift() as string).length;
      unflushed.add(this);
      return;
    }
    this.writeFailed = false;
    this.pending = [];
    this.pendingBytes = 0;
  }

  public all(): readonly LoggedRequest[] {
    return this.entries;
  }

  public query(filter: RequestFilter): LoggedRequest[] {
    const found: LoggedRequest[] = [];
    for (let index = this.entries.length - 1; index >= 0 && found.length < filter.limit; index--) {
      const entry = this.entries[index] as LoggedRequest;
      if (matches(entry, filter)) found.push(entry);
    }
    return found.reverse();
  }

  /** The sequence number of the newest entry (0 before any): what `after` takes. */
  public get sequence(): number {
    return this.recorded;
  }

  /** The entries recorded after sequence number `seq` that are still kept, oldest first, at most `limit` (the newest). */
  public after(seq: number, limit: number): LoggedRequest[] {
    const newer = Math.min(Math.max(0, this.recorded - seq), this.entries.length, limit);
    return this.entries.slice(this.entries.length - newer);
  }

  /** Called with each entry as it is recorded; returns the unsubscribe. */
  public subscribe(listener: (entry: LoggedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
