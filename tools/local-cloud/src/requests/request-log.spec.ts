import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AccessLogEntry } from '../gateway/access-log';
import { RequestLog } from './request-log';

const entry = (path: string, status = 200): AccessLogEntry => ({
  time: '2026-12-02T10:00:00.000Z',
  requestId: 'r',
  service: 'execute-api',
  apiId: 'a',
  stage: 's',
  httpMethod: 'GET',
  resourcePath: null,
  path,
  status,
  authorizationType: null,
  principal: null,
  authError: null,
  latencyMs: 1,
  integrationLatencyMs: null,
  authorizerLatencyMs: null,
  apiKeyId: null,
  decision: { check: 'routing', allowed: false, detail: `no such route: ${path}` },
  sourceIp: '127.0.0.1',
});

describe('RequestLog', () => {
  test('cuts texts over 2 KB (a 16 KB path), so 11,000 entries stay a few MB', () => {
    const log = new RequestLog();

    log.record(entry(`/${'x'.repeat(16_000)}`));

    const [stored] = log.all() as AccessLogEntry[];
    expect(stored?.path).toHaveLength(2049);
    expect(stored?.path.endsWith('…')).toBe(true);
    expect(stored?.decision?.detail).toHaveLength(2049);
  });

  test('keeps at most its capacity, newest last, and answers a query with the newest matches oldest first', () => {
    const log = new RequestLog({ capacity: 10 });

    for (let index = 0; index < 30; index++) log.record(entry(`/${index}`, index % 2 ? 403 : 200));

    expect(log.all().length).toBeLessThanOrEqual(11);
    expect(log.all().at(-1)?.status).toBe(403);
    expect(log.query({ status: 403, limit: 2 }).map((found) => (found as AccessLogEntry).path)).toEqual([
      '/27',
      '/29',
    ]);
  });

  test('appends to its file in batches: nothing per request, every entry in order once flushed, owner-only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'request-log-'));
    const file = path.join(dir, 'access.jsonl');
    try {
      const log = new RequestLog({ file });

      for (let index = 0; index < 3; index++) log.record(entry(`/${index}`));
      const beforeFlush = existsSync(file);
      await new Promise((resolve) => setTimeout(resolve, 120)); // past the 50 ms batch
      const afterBatch = readFileSync(file, 'utf8').trim().split('\n').length;
      log.record(entry('/3'));
      log.flush();

      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(beforeFlush).toBe(false);
      expect(afterBatch).toBe(3);
      expect(lines.map((line) => (JSON.parse(line) as AccessLogEntry).path)).toEqual([
        '/0',
        '/1',
        '/2',
        '/3',
      ]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('keeps the entries when the file cannot be written, and writes them once it can', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'request-log-'));
    const file = path.join(dir, 'logs', 'access.jsonl'); // logs/ does not exist yet
    try {
      const log = new RequestLog({ file });
      log.record(entry('/kept'));

      expect(() => log.flush()).not.toThrow();
      mkdirSync(path.dirname(file));
      log.flush();

      expect(log.all()).toHaveLength(1);
      expect(readFileSync(file, 'utf8')).toContain('"path":"/kept"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
