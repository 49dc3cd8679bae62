import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as cognitoJs from 'amazon-cognito-identity-js';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { startCloudChild } from './cloud-child';
import type { UserPoolStack } from '@sigv4-auth/local-cloud';
import { DEVELOPER } from './gateway';
import { percentile, runLoad, type LoadResult } from './load';

/** What the benchmark needs of the pool the cloud process deploys. */
type BenchPool = Pick<UserPoolStack, 'poolId' | 'webClientId' | 'partnerClientId' | 'partnerClientSecret'>;

export interface CognitoResults {
  /** USER_PASSWORD_AUTH through the SDK v3 client, one at a time and 8 at a time. */
  password_c1_rps: number;
  password_c1_p50_ms: number;
  password_c1_p95_ms: number;
  password_c8_rps: number;
  password_c8_p50_ms: number;
  password_c8_p95_ms: number;
  /** USER_SRP_AUTH: InitiateAuth + RespondToAuthChallenge, the two HTTP calls only (no client math). */
  srp_server_p50_ms: number;
  srp_server_p95_ms: number;
  srp_initiate_p50_ms: number;
  srp_respond_p50_ms: number;
  /** The same sign-in as a browser sees it: amazon-cognito-identity-js's authenticateUser, its math included. */
  srp_client_js_p50_ms: number;
  srp_client_js_p95_ms: number;
  /** POST /oauth2/token, grant_type=client_credentials, Basic auth. */
  client_credentials_c1_p50_ms: number;
  client_credentials_c1_p95_ms: number;
  client_credentials_c1_rps: number;
  client_credentials_c8_rps: number;
  /** REFRESH_TOKEN_AUTH through the SDK v3 client, one at a time. */
  refresh_p50_ms: number;
  refresh_p95_ms: number;
  refresh_rps: number;
  /** GET /_local/health with the same fetch: the loopback round trip inside every number above. */
  loopback_p50_ms: number;
}

export interface Goal {
  goal: string;
  result: string;
  met: boolean;
}

/** The goals of the Cognito issue. */
export function cognitoGoals(results: CognitoResults): Goal[] {
  const best = Math.max(results.password_c1_rps, results.password_c8_rps);
  const at = best === results.password_c8_rps ? 8 : 1;
  return [
    {
      goal: 'SRP sign-in server time p50 <= 25 ms',
      result: `${results.srp_server_p50_ms.toFixed(2)} ms`,
      met: results.srp_server_p50_ms <= 25,
    },
    {
      goal: 'USER_PASSWORD_AUTH >= 100 sign-ins/s (better concurrency)',
      result: `${best.toFixed(0)}/s at c=${at}`,
      met: best >= 100,
    },
  ];
}

/** The results as rows (what was measured) and columns (req/s, p50, p95), for console.table. */
export function cognitoTable(
  results: CognitoResults,
): Record<string, { 'req/s'?: number; p50_ms?: number; p95_ms?: number }> {
  const r = (value: number) => Number(value.toFixed(2));
  return {
    'USER_PASSWORD_AUTH c=1 (SDK v3)': {
      'req/s': r(results.password_c1_rps),
      p50_ms: r(results.password_c1_p50_ms),
      p95_ms: r(results.password_c1_p95_ms),
    },
    'USER_PASSWORD_AUTH c=8 (SDK v3)': {
      'req/s': r(results.password_c8_rps),
      p50_ms: r(results.password_c8_p50_ms),
      p95_ms: r(results.password_c8_p95_ms),
    },
    'USER_SRP_AUTH server (2 calls)': {
      p50_ms: r(results.srp_server_p50_ms),
      p95_ms: r(results.srp_server_p95_ms),
    },
    '  InitiateAuth': { p50_ms: r(results.srp_initiate_p50_ms) },
    '  RespondToAuthChallenge': { p50_ms: r(results.srp_respond_p50_ms) },
    'USER_SRP_AUTH amazon-cognito-identity-js': {
      p50_ms: r(results.srp_client_js_p50_ms),
      p95_ms: r(results.srp_client_js_p95_ms),
    },
    'client_credentials c=1': {
      'req/s': r(results.client_credentials_c1_rps),
      p50_ms: r(results.client_credentials_c1_p50_ms),
      p95_ms: r(results.client_credentials_c1_p95_ms),
    },
    'client_credentials c=8': { 'req/s': r(results.client_credentials_c8_rps) },
    'REFRESH_TOKEN_AUTH c=1 (SDK v3)': {
      'req/s': r(results.refresh_rps),
      p50_ms: r(results.refresh_p50_ms),
      p95_ms: r(results.refresh_p95_ms),
    },
    'loopback GET /_local/health c=1': { p50_ms: r(results.loopback_p50_ms) },
  };
}

const PASSWORD = 'Bench-Horse-9';
const TARGET = 'AWSCognitoIdentityProviderService.';

/** amazon-cognito-identity-js's SRP client half, exported by the package but missing from its typings. */
interface BigIntegerLike {
  toString(radix: number): string;
}
interface SrpClient {
  N: BigIntegerLike;
  getLargeAValue(callback: (error: unknown, value: BigIntegerLike) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: BigIntegerLike,
    salt: BigIntegerLike,
    callback: (error: unknown, key: Buffer) => void,
  ): void;
}
const untyped = cognitoJs as unknown as {
  AuthenticationHelper?: new (poolName: string) => SrpClient;
  DateHelper?: new () => { getNowString(): string };
};

function srpClient(poolName: string): {
  helper: SrpClient;
  BigInteger: new (hex: string, radix: number) => BigIntegerLike;
} {
  const { AuthenticationHelper } = untyped;
  if (!AuthenticationHelper)
    throw new Error('cognito bench: amazon-cognito-identity-js exports no AuthenticationHelper');
  const helper = new AuthenticationHelper(poolName);
  // Its BigInteger (jsbn) is not exported; padHex insists on that class, so take it from the helper's N.
  return { helper, BigInteger: helper.N.constructor as new (hex: string, radix: number) => BigIntegerLike };
}

function callback<T>(run: (done: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

/** One cognito-idp call as amazon-cognito-identity-js sends it: plain fetch, AWS JSON 1.1, unsigned. */
async function cognitoCall(url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}${operation}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200)
    throw new Error(`cognito bench: ${operation} answered ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Median of three runs by one key (runs alternate, so drift on a noisy machine touches every kind). */
const mid = (runs: LoadResult[], key: 'rps' | 'p50_ms' | 'p95_ms') =>
  runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;

/**
 * Amazon Cognito on the local cloud (in memory, its own process as `npm start` runs it): sign-ins with a
 * password (SDK v3) and with SRP (amazon-cognito-identity-js's math, the requests timed alone), the
 * client_credentials token endpoint and refresh. `count` requests per load run, `srpSamples` SRP sign-ins.
 */
export async function benchCognito(count: number, srpSamples: number): Promise<CognitoResults> {
  const cloud = await startCloudChild(['--cognito']);
  const { cloud: url, ...ids } = cloud.urls as unknown as BenchPool & { cloud: string };
  const pool = ids as BenchPool;
  const poolName = pool.poolId.split('_')[1] as string;
  const sdk = new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: DEVELOPER,
    maxAttempts: 1,
  });
  try {
    // Confirmed users, the fast way: AdminCreateUser, then a permanent password (no mail, no trigger).
    const emails = Array.from({ length: 32 }, (_, index) => `bench-${index}@example.com`);
    for (const email of emails) {
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await sdk.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.poolId,
          Username: email,
          Password: PASSWORD,
          Permanent: true,
        }),
      );
    }
    const emailOf = (index: number) => emails[index % emails.length] as string;

    // 1. USER_PASSWORD_AUTH, SDK v3.
    const refreshTokens: string[] = [];
    const passwordSignIn = async (index: number) => {
      const out = await sdk.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: emailOf(index), PASSWORD },
        }),
      );
      const refresh = out.AuthenticationResult?.RefreshToken;
      if (refresh && refreshTokens.length < emails.length) refreshTokens.push(refresh);
      return Boolean(out.AuthenticationResult?.IdToken);
    };
    await runLoad(passwordSignIn, { count: Math.min(200, count), concurrency: 8 });
    await runLoad(passwordSignIn, { count: Math.min(100, count), concurrency: 1 });
    const c1: LoadResult[] = [];
    const c8: LoadResult[] = [];
    for (let round = 0; round < 3; round += 1) {
      c1.push(await runLoad(passwordSignIn, { count, concurrency: 1 }));
      c8.push(await runLoad(passwordSignIn, { count, concurrency: 8 }));
    }

    // 2. USER_SRP_AUTH: the client's big-integer math before and between the requests, only the requests timed.
    const DateHelper = untyped.DateHelper;
    if (!DateHelper) throw new Error('cognito bench: amazon-cognito-identity-js exports no DateHelper');
    const srpServer = async (email: string) => {
      const { helper, BigInteger } = srpClient(poolName);
      const A = await callback<BigIntegerLike>((done) => helper.getLargeAValue(done));
      const t0 = performance.now();
      const challenge = await cognitoCall(url, 'InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: pool.webClientId,
        AuthParameters: { USERNAME: email, SRP_A: A.toString(16) },
      });
      const initiate = performance.now() - t0;
      const params = challenge.ChallengeParameters as Record<string, string>;
      if (challenge.ChallengeName !== 'PASSWORD_VERIFIER')
        throw new Error(`cognito bench: USER_SRP_AUTH answered ${String(challenge.ChallengeName)}`);
      const username = params.USER_ID_FOR_SRP as string;
      const key = await callback<Buffer>((done) =>
        helper.getPasswordAuthenticationKey(
          username,
          PASSWORD,
          new BigInteger(params.SRP_B as string, 16),
          new BigInteger(params.SALT as string, 16),
          done,
        ),
      );
      const timestamp = new DateHelper().getNowString();
      const signature = createHmac('sha256', key)
        .update(
          Buffer.concat([
            Buffer.from(poolName, 'utf8'),
            Buffer.from(username, 'utf8'),
            Buffer.from(params.SECRET_BLOCK as string, 'base64'),
            Buffer.from(timestamp, 'utf8'),
          ]),
        )
        .digest('base64');
      const t1 = performance.now();
      const answer = await cognitoCall(url, 'RespondToAuthChallenge', {
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: pool.webClientId,
        ChallengeResponses: {
          USERNAME: username,
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: signature,
        },
      });
      const respond = performance.now() - t1;
      if (!(answer.AuthenticationResult as { IdToken?: string } | undefined)?.IdToken)
        throw new Error('cognito bench: the SRP proof was not accepted');
      return { initiate, respond };
    };
    const clientPool = new CognitoUserPool({
      UserPoolId: pool.poolId,
      ClientId: pool.webClientId,
      endpoint: `${url}/`,
    });
    const srpClientJs = (email: string) => {
      const user = new CognitoUser({ Username: email, Pool: clientPool });
      const started = performance.now();
      return new Promise<number>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: email, Password: PASSWORD }), {
          onSuccess: () => resolve(performance.now() - started),
          onFailure: reject,
        }),
      );
    };
    for (let i = 0; i < 5; i += 1) await srpServer(emailOf(i));
    for (let i = 0; i < 3; i += 1) await srpClientJs(emailOf(i));
    const initiates: number[] = [];
    const responds: number[] = [];
    const servers: number[] = [];
    for (let i = 0; i < srpSamples; i += 1) {
      const { initiate, respond } = await srpServer(emailOf(i));
      initiates.push(initiate);
      responds.push(respond);
      servers.push(initiate + respond);
    }
    const clientJs: number[] = [];
    for (let i = 0; i < Math.max(5, Math.ceil(srpSamples / 4)); i += 1)
      clientJs.push(await srpClientJs(emailOf(i)));
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

    // 3. Tokens: client_credentials at the token endpoint, and REFRESH_TOKEN_AUTH.
    const basic = `Basic ${Buffer.from(`${pool.partnerClientId}:${pool.partnerClientSecret}`).toString('base64')}`;
    const clientCredentials = async () => {
      const response = await fetch(`${url}/_aws/cognito-idp/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const body = (await response.json()) as { access_token?: string };
      return response.status === 200 && typeof body.access_token === 'string';
    };
    const refresh = async (index: number) => {
      const out = await sdk.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshTokens[index % refreshTokens.length] as string },
        }),
      );
      return Boolean(out.AuthenticationResult?.AccessToken);
    };
    const health = async () => {
      const response = await fetch(`${url}/_local/health`);
      await response.arrayBuffer();
      return response.status === 200;
    };
    await runLoad(clientCredentials, { count: Math.min(200, count), concurrency: 8 });
    await runLoad(refresh, { count: Math.min(100, count), concurrency: 1 });
    await runLoad(health, { count: 200, concurrency: 1 });
    const tokenC1: LoadResult[] = [];
    const tokenC8: LoadResult[] = [];
    const refreshes: LoadResult[] = [];
    const loopback: LoadResult[] = [];
    for (let round = 0; round < 3; round += 1) {
      tokenC1.push(await runLoad(clientCredentials, { count, concurrency: 1 }));
      tokenC8.push(await runLoad(clientCredentials, { count, concurrency: 8 }));
      refreshes.push(await runLoad(refresh, { count, concurrency: 1 }));
      loopback.push(await runLoad(health, { count: 200, concurrency: 1 }));
    }
    const failures = [...c1, ...c8, ...tokenC1, ...tokenC8, ...refreshes, ...loopback].reduce(
      (sum, run) => sum + run.failures,
      0,
    );
    if (failures > 0) throw new Error(`cognito bench: ${failures} requests failed`);

    return {
      password_c1_rps: mid(c1, 'rps'),
      password_c1_p50_ms: mid(c1, 'p50_ms'),
      password_c1_p95_ms: mid(c1, 'p95_ms'),
      password_c8_rps: mid(c8, 'rps'),
      password_c8_p50_ms: mid(c8, 'p50_ms'),
      password_c8_p95_ms: mid(c8, 'p95_ms'),
      srp_server_p50_ms: percentile(sorted(servers), 50),
      srp_server_p95_ms: percentile(sorted(servers), 95),
      srp_initiate_p50_ms: percentile(sorted(initiates), 50),
      srp_respond_p50_ms: percentile(sorted(responds), 50),
      srp_client_js_p50_ms: percentile(sorted(clientJs), 50),
      srp_client_js_p95_ms: percentile(sorted(clientJs), 95),
      client_credentials_c1_p50_ms: mid(tokenC1, 'p50_ms'),
      client_credentials_c1_p95_ms: mid(tokenC1, 'p95_ms'),
      client_credentials_c1_rps: mid(tokenC1, 'rps'),
      client_credentials_c8_rps: mid(tokenC8, 'rps'),
      refresh_p50_ms: mid(refreshes, 'p50_ms'),
      refresh_p95_ms: mid(refreshes, 'p95_ms'),
      refresh_rps: mid(refreshes, 'rps'),
      loopback_p50_ms: mid(loopback, 'p50_ms'),
    };
  } finally {
    sdk.destroy();
    await cloud.stop();
  }
}
