import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { ConsoleRoute, ConsoleSnapshot, LoggedRequestView } from './types';

// Everything shown comes from requests anyone could send (paths, principals, messages): it is only ever set as
// text (textContent), never parsed as HTML.
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | number | null,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function row(cells: Array<string | number | null | HTMLElement>, attributes: Record<string, string> = {}) {
  const tr = el('tr', undefined, attributes);
  for (const cell of cells) {
    const td = el('td');
    if (cell instanceof HTMLElement) td.append(cell);
    else td.textContent = cell === null ? '-' : String(cell);
    tr.append(td);
  }
  return tr;
}

const body = (testId: string) =>
  document.querySelector(`[data-testid="${testId}"] tbody`) as HTMLTableSectionElement;

async function read<T>(url: string): Promise<T> {
  const answer = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!answer.ok)
    throw new Error(((await answer.json()) as { message?: string }).message ?? String(answer.status));
  return (await answer.json()) as T;
}

function mechanism(route: ConsoleRoute): string {
  const parts: string[] = [];
  if (route.authorizationType === 'NONE') parts.push('none (open)');
  if (route.authorizationType === 'AWS_IAM') parts.push('IAM (SigV4)');
  if (route.authorizationType === 'COGNITO_USER_POOLS')
    parts.push(
      `Cognito ${route.authorizer?.name ?? ''}: ${route.scopes.length ? `access token, scope ${route.scopes.join(' or ')}` : 'ID token'}`,
    );
  if (route.authorizationType === 'CUSTOM')
    parts.push(
      `Lambda authorizer ${route.authorizer?.name ?? ''} (${route.authorizer?.type ?? ''}, cached ${route.authorizer?.ttlSeconds ?? 0} s)`,
    );
  if (route.apiKeyRequired) parts.push('+ API key (usage plan)');
  return parts.join(' ');
}

function renderRoutes(snapshot: ConsoleSnapshot): void {
  const container = document.getElementById('apis') as HTMLElement;
  const fragment = document.createDocumentFragment();
  for (const api of snapshot.apis) {
    fragment.append(
      el('h3', `${api.name}  (${api.id}, stages ${api.stages.join(', ')}, stack ${api.stackName})`),
    );
    const table = el('table');
    table.append(row(['method', 'path', 'mechanism', 'integration'].map((h) => el('b', h))));
    for (const route of api.routes)
      table.append(
        row([route.method, route.path, mechanism(route), route.integration], {
          'data-route': `${route.method} ${route.path}`,
          'data-mechanism': route.authorizationType,
        }),
      );
    fragment.append(table);
  }
  container.replaceChildren(fragment);
}

function renderTables(snapshot: ConsoleSnapshot): void {
  (document.getElementById('where') as HTMLElement).textContent =
    `account ${snapshot.accountId}, ${snapshot.region}`;
  (document.getElementById('clock') as HTMLElement).textContent = `clock ${snapshot.now}`;
  body('authorizer-cache').replaceChildren(
    ...(snapshot.authorizerCache.length
      ? snapshot.authorizerCache.map((entry) =>
          row(
            [
              `${entry.apiId}/${entry.stage}`,
              entry.authorizer,
              entry.principalId,
              `${entry.expiresInSeconds} s of ${entry.ttlSeconds} s`,
            ],
            { 'data-principal': entry.principalId },
          ),
        )
      : [row(['no cached answers', '', '', ''])]),
  );
  body('usage-plans').replaceChildren(
    ...snapshot.usagePlans.flatMap((plan) =>
      plan.keys.map((key) =>
        row([
          plan.name,
          `${key.name}${key.enabled ? '' : ' (disabled)'}`,
          plan.throttle ? `burst ${plan.throttle.burstLimit}, ${plan.throttle.rateLimit}/s` : null,
          plan.quota
            ? `${key.quotaUsed ?? 0} / ${key.quotaLeft ?? 0} of ${plan.quota.limit} per ${plan.quota.period}`
            : null,
        ]),
      ),
    ),
  );
  body('cognito-users').replaceChildren(
    ...snapshot.userPools.flatMap((pool) =>
      pool.users.map((user) =>
        row([
          pool.name,
          user.username,
          user.email,
          `${user.status}${user.enabled ? '' : ' (disabled)'}`,
          user.groups.join(', '),
        ]),
      ),
    ),
  );
  (document.getElementById('stacks') as HTMLElement).replaceChildren(
    ...snapshot.stacks.map((stack) => el('li', `${stack.stackName}  ${stack.status}`)),
  );
}

const charts = new Map<string, { requests: uPlot; latency: uPlot }>();

function renderCharts(snapshot: ConsoleSnapshot): void {
  const container = document.getElementById('charts') as HTMLElement;
  const width = Math.max(320, Math.floor((container.clientWidth || 960) / 2) - 16);
  for (const series of snapshot.metrics) {
    const key = `${series.apiName}/${series.stage}`;
    const times = series.minutes.map((m) => m.time / 1000);
    const requests: uPlot.AlignedData = [
      times,
      series.minutes.map((m) => m.count),
      series.minutes.map((m) => m.errors4xx),
      series.minutes.map((m) => m.errors5xx),
    ];
    const latency: uPlot.AlignedData = [times, series.minutes.map((m) => m.latencyMs)];
    const existing = charts.get(key);
    if (existing) {
      existing.requests.setData(requests);
      existing.latency.setData(latency);
      continue;
    }
    const box = el('div', undefined, { class: 'chart', 'data-chart': key });
    box.append(el('h3', key));
    container.append(box);
    charts.set(key, {
      requests: new uPlot(
        {
          title: 'Count, 4XXError, 5XXError (Sum)',
          width,
          height: 180,
          series: [
            {},
            { label: 'Count', stroke: '#3465a4' },
            { label: '4XX', stroke: '#c17d11' },
            { label: '5XX', stroke: '#cc0000' },
          ],
        },
        requests,
        box,
      ),
      latency: new uPlot(
        {
          title: 'Latency (Average, ms)',
          width,
          height: 180,
          series: [{}, { label: 'Latency', stroke: '#4e9a06' }],
        },
        latency,
        box,
      ),
    });
  }
}

function describeRequest(entry: LoggedRequestView): string {
  return 'httpMethod' in entry
    ? `${entry.httpMethod} ${entry.path}  (${entry.apiId}/${entry.stage})`
    : `${entry.action} ${entry.resource ?? ''}`;
}

function why(entry: LoggedRequestView): string {
  const decision = entry.decision;
  if (!decision) return entry.authError ?? '';
  // The detail line often names the claim, the statements and whether the answer was cached already.
  const { detail } = decision;
  const extra: string[] = [];
  if (decision.claim && !detail.includes(decision.claim)) extra.push(`claim ${decision.claim}`);
  if (decision.cached !== undefined && !/\b(fresh|cached)\b/.test(detail))
    extra.push(decision.cached ? 'cached answer' : 'fresh answer');
  const unnamed = (decision.statements ?? []).filter(
    (s) => !detail.includes(`${s.statement} of ${s.policy}`),
  );
  if (unnamed.length) extra.push(unnamed.map((s) => `${s.policy}: ${s.statement}`).join('; '));
  return extra.length ? `${detail}  [${extra.join('; ')}]` : detail;
}

/** Rows the table keeps (one live-log answer carries at most 100: the server's MAX_BATCH). */
const MAX_ROWS = 200;
/** Under load, one live-log read a second at most: a person cannot read faster, and the gateway keeps its speed. */
const MIN_POLL_MS = 1000;
let skipped = 0;
const refusedOnly = document.getElementById('refused-only') as HTMLInputElement;

function addRequests(entries: LoggedRequestView[]): void {
  const tbody = body('requests');
  const rows = document.createDocumentFragment();
  for (const entry of entries.slice(-MAX_ROWS)) {
    const refused = entry.status >= 400;
    const tr = row(
      [
        entry.time.slice(11, 23),
        entry.status,
        describeRequest(entry),
        entry.principal,
        entry.decision
          ? `${entry.decision.check}${entry.decision.kind ? ` (${entry.decision.kind})` : ''}`
          : null,
        why(entry),
      ],
      {
        class: refused ? 'refused' : 'allowed',
        'data-status': String(entry.status),
        'data-request-id': entry.requestId,
      },
    );
    rows.prepend(tr);
  }
  // One insertion (one layout) per answer; the oldest rows beyond MAX_ROWS go.
  tbody.prepend(rows);
  while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
}

refusedOnly.addEventListener('change', () => {
  document.body.classList.toggle('refused-only', refusedOnly.checked);
});

async function followRequests(): Promise<void> {
  let sequence: number | undefined;
  for (;;) {
    const started = Date.now();
    try {
      const answer = await read<{ sequence: number; requests: LoggedRequestView[]; skipped: number }>(
        `api/requests${sequence === undefined ? '' : `?after=${sequence}`}`,
      );
      addRequests(answer.requests);
      if (answer.skipped > 0) {
        skipped += answer.skipped;
        (document.getElementById('skipped') as HTMLElement).textContent =
          `${skipped} requests went by too fast to list: GET /_local/requests has them all`;
      }
      sequence = answer.sequence;
      document.body.dataset.requestSequence = String(sequence);
      // Also when an answer came back at once and empty (the cloud had too many pages waiting already).
      await new Promise((resolve) => setTimeout(resolve, MIN_POLL_MS - (Date.now() - started)));
    } catch (error) {
      showError(error);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

function showError(error: unknown): void {
  document.body.dataset.error = error instanceof Error ? error.message : String(error);
}

let routesShown = '';

async function followState(): Promise<void> {
  for (;;) {
    try {
      const snapshot = await read<ConsoleSnapshot>('api/state');
      const routes = JSON.stringify(snapshot.apis);
      if (routes !== routesShown) {
        renderRoutes(snapshot);
        routesShown = routes;
      }
      renderTables(snapshot);
      renderCharts(snapshot);
      delete document.body.dataset.error;
    } catch (error) {
      showError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

void followState();
void followRequests();
