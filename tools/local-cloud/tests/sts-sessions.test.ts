import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { signRequest, type AwsCredentialIdentity } from '@sigv4-auth/signed-fetch';
import type { CloudFormationTemplate } from '../src/cloudformation/template';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';

// STS AssumeRole as AWS documents it (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html),
// through the real SDK client: role chaining capped at one hour, session policies intersected with the role's,
// authorization before any check that would tell a stranger something about the role, strict DurationSeconds,
// sts:ExternalId and sts:RoleSessionName in trust policies, expired sessions forgotten.
const DEVELOPER = seededUserKeys('developer');
const PARTNER = seededUserKeys('partner');
const ACCOUNT = '000000000000';
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const TRUST_ACCOUNT = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
};

const ROLES = {
  Resources: {
    Long: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'long-sessions',
        MaxSessionDuration: 43_200,
        AssumeRolePolicyDocument: TRUST_ACCOUNT,
        Policies: [
          {
            PolicyName: 'everything',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['sts:AssumeRole', 'execute-api:Invoke'], Resource: '*' },
              ],
            },
          },
        ],
      },
    },
    Guarded: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'guarded',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: 'sts:AssumeRole',
              Condition: {
                StringEquals: { 'sts:ExternalId': 'shop-123' },
                StringLike: { 'sts:RoleSessionName': 'ci-*' },
              },
            },
          ],
        },
      },
    },
  },
} as unknown as CloudFormationTemplate;

describe('STS sessions', () => {
  let cloud: LocalCloud;
  let api: string;

  const sts = (credentials: AwsCredentialIdentity) =>
    new STSClient({
      region: 'us-east-1',
      endpoint: cloud.url,
      credentials,
      maxAttempts: 1,
      // The SDK signs with this machine's clock: follow the local cloud's when a test moves it.
      systemClockOffset: cloud.clock.nowMs() - Date.now(),
    });

  async function assume(credentials: AwsCredentialIdentity, input: Partial<AssumeRoleCommandInput>) {
    const { Credentials } = await sts(credentials).send(
      new AssumeRoleCommand({ RoleArn: roleArn('long-sessions'), RoleSessionName: 'test', ...input }),
    );
    return {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
      expiration: Credentials!.Expiration!,
    };
  }

  /** What STS answers to this error-producing input: [code, message]. */
  async function refusal(credentials: AwsCredentialIdentity, input: Partial<AssumeRoleCommandInput>) {
    const error = await assume(credentials, input).then(
      () => undefined,
      (thrown: { name: string; message: string }) => thrown,
    );
    return [error?.name, error?.message];
  }

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    await cloud.deploy({ stackName: 'roles', template: ROLES, artifactsDir: '/nonexistent' });
    ({ url: api } = await deployProbeStack(cloud, { authorizationType: 'AWS_IAM' }));
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  describe('role chaining', () => {
    it('lets a user ask for 12 hours of a role whose MaxSessionDuration allows it', async () => {
      // Act
      const session = await assume(DEVELOPER, { DurationSeconds: 43_200 });

      // Assess
      expect(session.expiration.getTime() - cloud.clock.nowMs()).toBeGreaterThan(43_000_000);
    });

    it('refuses more than one hour for a session assumed with a role session, with AWS’s message', async () => {
      // Arrange
      const first = await assume(DEVELOPER, {});

      // Act
      const answer = await refusal(first, { DurationSeconds: 43_200, RoleSessionName: 'chained' });

      // Assess
      expect(answer).toEqual([
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      ]);
    });

    it('gives a chained session one hour by default', async () => {
      // Act
      const chained = await assume(await assume(DEVELOPER, {}), { RoleSessionName: 'chained' });

      // Assess
      expect(chained.expiration.getTime() - cloud.clock.nowMs()).toBeLessThanOrEqual(3_600_000);
    });
  });

  describe('checks in AWS’s order', () => {
    it('answers AccessDenied, not a duration error, to a caller who may not assume the role', async () => {
      // Act: partner (account 111111111111) is not trusted; 7200 s is over customer-reader's MaxSessionDuration.
      const overRoleLimit = await refusal(PARTNER, {
        RoleArn: roleArn('customer-reader'),
        DurationSeconds: 7200,
      });
      const missingRole = await refusal(PARTNER, { RoleArn: roleArn('no-such-role'), DurationSeconds: 7200 });

      // Assess: nothing tells an existing role from a missing one.
      expect(overRoleLimit[0]).toBe('AccessDenied');
      expect(missingRole[0]).toBe('AccessDenied');
      expect(String(overRoleLimit[1]).replace('customer-reader', 'X')).toBe(
        String(missingRole[1]).replace('no-such-role', 'X'),
      );
    });

    it('refuses a duration over the role’s MaxSessionDuration to a trusted caller', async () => {
      // Act
      const answer = await refusal(DEVELOPER, { RoleArn: roleArn('customer-reader'), DurationSeconds: 7200 });

      // Assess
      expect(answer).toEqual([
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ]);
    });

    it.each(['0x384', ' 900', '9e2', '900.0', '-900', ''])(
      'refuses DurationSeconds=%j (digits only)',
      async (text) => {
        // Arrange: the SDK would serialize a number, so the Query request is written by hand.
        const url = new URL(cloud.url);
        const body = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(roleArn('long-sessions'))}&RoleSessionName=raw&DurationSeconds=${encodeURIComponent(text)}`;
        const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
        const signed = await signRequest(
          { method: 'POST', url, headers, body: new TextEncoder().encode(body) },
          DEVELOPER,
          { region: 'us-east-1', service: 'sts' },
          { signingDate: cloud.clock.now() },
        );

        // Act
        const response = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });

        // Assess
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('<Code>ValidationError</Code>');
      },
    );
  });

  describe('session policies', () => {
    const onlyPublic = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/test/GET/public/*`,
        },
      ],
    });

    async function get(credentials: AwsCredentialIdentity, path: string): Promise<number> {
      const url = new URL(`${api}${path}`);
      const headers = await signRequest(
        { method: 'GET', url, headers: {} },
        credentials,
        { region: 'us-east-1', service: 'execute-api' },
        { signingDate: cloud.clock.now() },
      );
      return (await fetch(url, { headers })).status;
    }

    it('limits the session to the intersection of the role’s policy and the session policy', async () => {
      // Arrange: the role may invoke anything; the session policy only GET /public/*.
      const full = await assume(DEVELOPER, {});
      const limited = await assume(DEVELOPER, { Policy: onlyPublic, RoleSessionName: 'limited' });

      // Act
      const statuses = await Promise.all([
        get(full, '/private/x'),
        get(limited, '/public/x'),
        get(limited, '/private/x'),
      ]);

      // Assess
      expect(statuses).toEqual([200, 200, 403]);
    });

    it('refuses managed session policies loudly rather than ignore them', async () => {
      // Act
      const answer = await refusal(DEVELOPER, {
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      });

      // Assess
      expect(answer[0]).toBe('ValidationError');
      expect(answer[1]).toContain('PolicyArns');
    });

    it.each([
      ['not JSON', '{"Version":', 'MalformedPolicyDocumentException'],
      ['not a policy', '{"Version":"2012-10-17"}', 'MalformedPolicyDocumentException'],
      [
        'over 2048 characters',
        JSON.stringify({ Version: '2012-10-17', Statement: [], pad: 'x'.repeat(2048) }),
        'PackedPolicyTooLargeException',
      ],
    ])('refuses a session policy that is %s', async (_, Policy, code) => {
      // Act
      const answer = await refusal(DEVELOPER, { Policy });

      // Assess
      expect(answer[0]).toBe(code);
    });
  });

  describe('condition keys of AssumeRole', () => {
    it.each([
      ['without the external id', { RoleSessionName: 'ci-1' }, 'AccessDenied'],
      ['with a wrong external id', { RoleSessionName: 'ci-1', ExternalId: 'shop-999' }, 'AccessDenied'],
      [
        'with a session name outside ci-*',
        { RoleSessionName: 'laptop', ExternalId: 'shop-123' },
        'AccessDenied',
      ],
      ['with both as the trust policy asks', { RoleSessionName: 'ci-1', ExternalId: 'shop-123' }, undefined],
    ])('%s: %s', async (_, input, code) => {
      // Act
      const answer = await refusal(DEVELOPER, { RoleArn: roleArn('guarded'), ...input });

      // Assess
      expect(answer[0]).toBe(code);
    });
  });

  it('forgets sessions an hour after they expire', async () => {
    // Arrange
    await assume(DEVELOPER, { DurationSeconds: 900, RoleSessionName: 'short' });
    const before = cloud.identities.sessionCount();

    // Act: past the longest session (12 h) plus the hour expired sessions are kept (to answer "expired").
    cloud.clock.advance(14 * 3_600_000);
    await assume(DEVELOPER, { RoleSessionName: 'later' });

    // Assess
    expect(before).toBeGreaterThan(1);
    expect(cloud.identities.sessionCount()).toBe(1);
  });
});
