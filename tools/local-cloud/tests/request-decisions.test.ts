import { DeleteItemCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { APIGatewayClient, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalCloud } from '../src/local-cloud';
import type { LoggedRequest } from '../src/requests';
import {
  cognitoClient,
  createConfirmedUser,
  passwordTokens,
  refusalOf,
} from '../src/testing/cognito-helpers';
import { identitiesWith } from '../src/testing/identities-file';
import { assumeRoleCredentials } from '../src/testing/raw-clients';
import { deployProbeStack } from '../src/testing/probe-stack';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// "Why was I denied?" Every refusal of every part of the local cloud is in its request log (logs/access.jsonl,
// GET /_local/requests) with a machine-readable decision: which check, which policy statement or token claim. The
// caller still gets only AWS's body. A user whose policy explicitly denies one method and allows the rest:
const { file: identitiesFile, keyOf } = identitiesWith([
  {
    name: 'auditor',
    statements: [
      {
        Sid: 'ReadEverything',
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: '*',
      },
      {
        Sid: 'NeverDelete',
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:*:*:*/*/DELETE/*',
      },
      { Sid: 'NoTableDeletes', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
    ],
  },
]);

describe('every decision explained in the request log', () => {
  const PASSWORD = 'Correct-Horse-9';
  let stateDir: string;
  let cloud: LocalCloud;
  let iamApi: string;
  let cognitoApi: string;
  let keyApi: string;
  let pool: UserPoolStack;
  const auditor = createSignedFetch({
    credentials: keyOf('auditor'),
    region: 'us-east-1',
    service: 'execute-api',
  });
  const since = new Date(Date.now() - 60_000).toISOString();

  const requests = async (query: string) => {
    const answer = await fetch(`${cloud.url}/_local/requests?${query}`, {
      headers: { 'x-local-cloud-token': cloud.adminToken.value },
    });
    return {
      status: answer.status,
      body: (await answer.json()) as { requests?: LoggedRequest[]; message?: string },
    };
  };
  const last = () => cloud.requests.all().at(-1) as LoggedRequest;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'decisions-'));
    cloud = await LocalCloud.start({ port: 0, identitiesFile, stateDir });
    ({ url: iamApi } = await deployProbeStack(cloud, { stackName: 'iam-api', authorizationType: 'AWS_IAM' }));
    pool = await deployUserPoolStack(cloud);
    ({ url: cognitoApi } = await deployProbeStack(cloud, {
      stackName: 'cognito-api',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn], scopes: ['orders-api/orders.read'] },
    }));
    ({ url: keyApi } = await deployProbeStack(cloud, { stackName: 'key-api', apiKeyRequired: true }));
    await createConfirmedUser(cognitoClient(cloud.url), pool.poolId, 'ada@example.com', PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('names the identity-policy statement that allowed a signed call, and the one that explicitly denied it', async () => {
    // Act
    await auditor(`${iamApi}/probe`);
    const allowed = last();
    await auditor(`${iamApi}/probe`, { method: 'DELETE' });
    const denied = last();

    // Assess (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    expect(allowed).toMatchObject({
      service: 'execute-api',
      status: 200,
      principal: 'arn:aws:iam::000000000000:user/auditor',
      decision: {
        check: 'iam',
        allowed: true,
        kind: 'Allow',
        statements: [{ policy: 'user/auditor policy auditor-policy', statement: 'ReadEverything' }],
      },
    });
    expect(denied).toMatchObject({
      status: 403,
      decision: {
        check: 'iam',
        allowed: false,
        kind: 'ExplicitDeny',
        statements: [{ policy: 'user/auditor policy auditor-policy', statement: 'NeverDelete' }],
      },
    });
  });

  it('says which SigV4 check failed, never logging the signature or the session token it covered', async () => {
    // Arrange: temporary credentials, their secret wrong: DynamoDB's refusal quotes the canonical request, whose
    // signed headers hold the session token (x-amz-security-token).
    const session = await assumeRoleCredentials(cloud, 'arn:aws:iam::000000000000:role/customer-reader');
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: { ...session, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });

    // Act
    const refused = await refusalOf(dynamodb.send(new ListTablesCommand({})));
    const entry = last();
    cloud.requests.flush(); // appended every 50 ms: now, so the file is read with this entry in it
    const file = readFileSync(path.join(stateDir, 'logs', 'access.jsonl'), 'utf8');

    // Assess
    expect(refused.name).toBe('InvalidSignatureException');
    expect(entry).toMatchObject({ service: 'dynamodb', decision: { check: 'sigv4', allowed: false } });
    expect(file).toContain(`"requestId":"${entry?.requestId}"`);
    expect(file).not.toContain(session.sessionToken);
    expect(JSON.stringify(cloud.requests.all())).not.toContain(session.sessionToken);
  });

  it('names the token claim a Cognito authorizer refused, and the route that does not exist', async () => {
    // Act: an ID token where the method's scopes need an access token, then no token, then a stage that does not exist.
    const { id } = await passwordTokens(
      cognitoClient(cloud.url),
      pool.webClientId,
      'ada@example.com',
      PASSWORD,
    );
    await fetch(`${cognitoApi}/probe`, { headers: { authorization: id } });
    const wrongToken = last();
    await fetch(`${cognitoApi}/probe`);
    const noToken = last();
    await fetch(`${cognitoApi.replace(/\/[^/]+\/_user_request_$/, '/no-such-stage/_user_request_')}/probe`);
    const noRoute = last();

    // Assess (research notes A1: a method with scopes takes access tokens only)
    expect(wrongToken).toMatchObject({
      status: 401,
      decision: { check: 'cognito-authorizer', allowed: false, claim: 'token_use' },
    });
    expect(noToken.decision).toMatchObject({
      check: 'cognito-authorizer',
      detail: expect.stringContaining('no authorization header'),
    });
    expect(noRoute).toMatchObject({ status: 403, decision: { check: 'routing', allowed: false } });
  });

  it('says an API key was missing: the key identifies a caller, the method still decides', async () => {
    // Act
    await fetch(`${keyApi}/probe`);

    // Assess
    expect(last()).toMatchObject({ status: 403, decision: { check: 'api-key', allowed: false } });
  });

  it('logs the refusals of STS, DynamoDB and Cognito too, with the deciding statement', async () => {
    // Arrange
    const credentials = keyOf('auditor');
    const sts = new STSClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });

    // Act
    const assume = await refusalOf(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::000000000000:role/no-access',
          RoleSessionName: 'audit-session',
        }),
      ),
    );
    const assumeEntry = last();
    const remove = await refusalOf(
      dynamodb.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })),
    );
    const removeEntry = last();
    const signIn = await refusalOf(
      passwordTokens(cognitoClient(cloud.url), pool.webClientId, 'ada@example.com', 'wrong-Passw0rd'),
    );
    const signInEntry = last();

    // Assess
    expect(assume.name).toBe('AccessDenied');
    expect(assumeEntry).toMatchObject({
      service: 'sts',
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::000000000000:role/no-access',
      status: 403,
      principal: 'arn:aws:iam::000000000000:user/auditor',
      decision: { check: 'iam', allowed: false, kind: 'ImplicitDeny' },
    });
    expect(remove.name).toBe('AccessDeniedException');
    expect(removeEntry).toMatchObject({
      service: 'dynamodb',
      action: 'dynamodb:DeleteItem',
      resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders',
      decision: { check: 'iam', kind: 'ExplicitDeny', statements: [{ statement: 'NoTableDeletes' }] },
    });
    expect(signIn.name).toBe('NotAuthorizedException');
    expect(signInEntry).toMatchObject({
      service: 'cognito-idp',
      action: 'cognito-idp:InitiateAuth',
      decision: {
        check: 'cognito',
        allowed: false,
        detail: 'NotAuthorizedException: Incorrect username or password.',
      },
    });
    expect(JSON.stringify(signInEntry)).not.toContain('wrong-Passw0rd');
  });

  it('explains API Gateway management API denials with the caller and the resource', async () => {
    // Arrange
    const apiGateway = new APIGatewayClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: keyOf('auditor'),
      maxAttempts: 1,
    });

    // Act
    const refused = await refusalOf(apiGateway.send(new GetApiKeysCommand({})));

    // Assess
    expect(refused.status).toBe(403);
    expect(last()).toMatchObject({
      service: 'apigateway',
      action: 'apigateway:GET',
      resource: 'arn:aws:apigateway:us-east-1::/apikeys',
      principal: 'arn:aws:iam::000000000000:user/auditor',
      decision: { check: 'iam', allowed: false, kind: 'ImplicitDeny', statements: [] },
    });
  });

  it('answers GET /_local/requests with the entries that match, and writes them to logs/access.jsonl', async () => {
    // Act
    const forbidden = await requests('status=403&service=execute-api');
    const clientErrors = await requests(`status=4xx&since=${since}`);
    const byPrincipal = await requests(
      `principal=${encodeURIComponent('arn:aws:iam::000000000000:user/auditor')}&service=dynamodb`,
    );
    const newestTwo = await requests('limit=2');
    cloud.requests.flush(); // appended every 50 ms: now
    const file = readFileSync(path.join(stateDir, 'logs', 'access.jsonl'), 'utf8')
      .trim()
      .split('\n');

    // Assess
    expect(forbidden.status).toBe(200);
    expect(forbidden.body.requests?.length).toBeGreaterThanOrEqual(3);
    expect(
      forbidden.body.requests?.every((entry) => entry.status === 403 && entry.service === 'execute-api'),
    ).toBe(true);
    expect(clientErrors.body.requests?.every((entry) => entry.status >= 400 && entry.status < 500)).toBe(
      true,
    );
    expect(clientErrors.body.requests?.map((entry) => entry.service)).toEqual(
      expect.arrayContaining(['execute-api', 'sts', 'dynamodb', 'cognito-idp']),
    );
    expect(byPrincipal.body.requests?.map((entry) => 'action' in entry && entry.action)).toEqual([
      'dynamodb:DeleteItem',
    ]);
    expect(newestTwo.body.requests).toEqual(cloud.requests.all().slice(-2));
    expect(file.map((line) => JSON.parse(line) as LoggedRequest)).toEqual([...cloud.requests.all()]);
  });

  it('says what is wrong with a filter it cannot read, and answers local tools only', async () => {
    // Act
    const unknown = await requests('user=bob');
    const badStatus = await requests('status=40x');
    const badSince = await requests('since=yesterday');
    const badLimit = await requests('limit=0');
    const token = { 'x-local-cloud-token': cloud.adminToken.value };
    const fromAPage = await fetch(`${cloud.url}/_local/requests`, {
      headers: { ...token, origin: 'https://evil.example' },
    });
    // A same-origin page's fetch sends no Origin, but Sec-Fetch-Site.
    const fromSameOrigin = await fetch(`${cloud.url}/_local/requests`, {
      headers: { ...token, 'sec-fetch-site': 'same-origin' },
    });
    const withoutToken = await fetch(`${cloud.url}/_local/requests`);

    // Assess
    expect(unknown).toEqual({
      status: 400,
      body: { message: expect.stringContaining('Unknown filter user') },
    });
    expect(badStatus.status).toBe(400);
    expect(badSince.body.message).toContain('since is an ISO 8601 time');
    expect(badLimit.body.message).toContain('limit is a number from 1 to 1000');
    expect(fromAPage.status).toBe(403);
    expect(fromSameOrigin.status).toBe(403);
    expect(withoutToken.status).toBe(403);
    expect(((await withoutToken.json()) as { message: string }).message).toContain('x-local-cloud-token');
  });
});
