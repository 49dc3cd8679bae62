import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { describeInChromium, launchChromium } from '@sigv4-auth/testing';
import type { Browser, Page } from 'playwright-core';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { ALLOW_API_AUTHORIZER, deployProbeStack } from '../src/testing/probe-stack';

// The console page (/_local/console) in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against a started local cloud with two deployed APIs. What a developer asking "why was I denied?" sees: the
// routes with the mechanism that guards each, a refusal appearing live with the check and the reason, and a
// Lambda authorizer's cached answer that ends when its TTL does on the cloud's clock (API Gateway caches an
// authorizer's policy for authorizerResultTtlInSeconds, 300 s by default:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
// Screenshots go to tools/local-cloud/test-output/console/ (ignored by git), to look at when one fails.
const maybe = describeInChromium('the console browser test');
const SCREENSHOTS = path.join(__dirname, '..', 'test-output', 'console');

maybe('the local console in a browser', () => {
  let cloud: LocalCloud;
  let browser: Browser;
  let page: Page;
  let iamUrl: string;
  let customUrl: string;
  const pageErrors: string[] = [];

  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    // The page as its sources are now (nx runs this before the tests; a direct `npx jest` may not have).
    execFileSync(process.execPath, [path.join(__dirname, '..', 'console-page', 'build.mjs')], {
      stdio: 'inherit',
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ url: iamUrl } = await deployProbeStack(cloud, { stackName: 'orders', authorizationType: 'AWS_IAM' }));
    ({ url: customUrl } = await deployProbeStack(
      cloud,
      {
        stackName: 'staff',
        authorizationType: 'CUSTOM',
        lambdaAuthorizer: { type: 'TOKEN', ttlSeconds: 300 },
      },
      ALLOW_API_AUTHORIZER,
    ));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Script errors, failed loads (CSP refusals land in the console) and refused reads of the page.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // The one-time link redirects to the page and sets its session cookie.
    await page.goto(cloud.consoleUrl());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  test('signs in with the link and lists each deployed route with the mechanism that guards it', async () => {
    // Act
    const iamRoute = page.locator('[data-testid="routes"] tr[data-mechanism="AWS_IAM"]');
    const customRoute = page.locator('[data-testid="routes"] tr[data-mechanism="CUSTOM"]');
    await iamRoute.first().waitFor();
    await screenshot('routes');

    // Assess
    expect(new URL(page.url()).pathname).toBe('/_local/console/');
    await expect(page.locator('[data-testid="stacks"]').textContent()).resolves.toMatch(
      /orders\s+CREATE_COMPLETE[\s\S]*staff\s+CREATE_COMPLETE/,
    );
    expect(await iamRoute.allTextContents()).toEqual([
      expect.stringMatching(/^ANY\/\{proxy\+\}IAM \(SigV4\)/),
    ]);
    expect(await customRoute.allTextContents()).toEqual([expect.stringContaining('Lambda authorizer')]);
    await expect(customRoute.textContent()).resolves.toContain('(TOKEN, cached 300 s)');
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test('shows a refused request as it happens, with the check that refused it and why', async () => {
    // Prepare: another account's user, whom no resource policy lets in.
    const partner = createSignedFetch({ credentials: seededUserKeys('partner'), region: 'us-east-1' });

    // Act
    const refused = await partner(`${iamUrl}/orders/o-1`);
    const body = (await refused.json()) as Record<string, string>;
    const row = page.locator('[data-testid="requests"] tbody tr[data-status="403"]').first();
    await row.waitFor({ timeout: 10_000 });
    await screenshot('refused-request');

    // Assess
    expect(refused.status).toBe(403);
    // The caller gets AWS's body; only the console (the developer) sees why.
    expect(Object.keys(body)).toEqual(['Message']);
    expect(body.Message).toMatch(
      /^User: arn:aws:iam::111111111111:user\/partner is not authorized to perform: execute-api:Invoke/,
    );
    expect(body.Message).not.toContain('cross-account');
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/),
      '403',
      expect.stringMatching(/^GET \/orders\/o-1 {2}\(\w+\/test\)$/),
      'arn:aws:iam::111111111111:user/partner',
      expect.stringMatching(/^iam/),
      // Why: the cross-account rule, answered for each side.
      expect.stringContaining(
        'cross-account access needs an allow in both the identity policy (yes) and the resource policy (no)',
      ),
    ]);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test("lists a Lambda authorizer's cached answer, and drops it when the cloud's clock passes its TTL", async () => {
    // Prepare
    const cached = page.locator('[data-testid="authorizer-cache"] tbody tr[data-principal="bench"]');

    // Act
    const first = await fetch(`${customUrl}/hello`, { headers: { authorization: 'staff-token-1' } });
    await cached.waitFor({ timeout: 10_000 });
    const whileCached = await cached.locator('td').allTextContents();
    await screenshot('authorizer-cache');
    cloud.clock.advance(301_000);
    await cached.waitFor({ state: 'detached', timeout: 10_000 });
    const after = await page.locator('[data-testid="authorizer-cache"] tbody').textContent();

    // Assess
    expect(first.status).toBe(200);
    expect(whileCached).toEqual([
      expect.stringMatching(/^\w+\/test$/),
      expect.any(String),
      'bench',
      expect.stringMatching(/^\d+ s of 300 s$/),
    ]);
    expect(after).toBe('no cached answers');
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
