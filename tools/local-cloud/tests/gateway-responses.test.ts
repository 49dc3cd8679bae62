import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack, deployWithSources, probeStackTemplate } from '../src/testing/probe-stack';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// What a browser meets: the CORS preflight (`cors: true`: an OPTIONS method with a MOCK integration, answered with
// no authorization and no function), gateway responses that put CORS headers on the gateway's own refusals so a
// page can read a 401 (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html),
// and NONE routes under a resource policy, which must explicitly allow the anonymous caller.
let cloud: LocalCloud;
let pool: UserPoolStack;
let url: string;

/** The OPTIONS method osls writes for `cors: true` (lib/plugins/aws/package/compile/events/api-gateway/lib/cors.js). */
const preflight = (origins?: string[]) => ({
  ProxyOptions: {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      AuthorizationType: 'NONE',
      HttpMethod: 'OPTIONS',
      MethodResponses: [
        {
          StatusCode: '200',
          ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': true },
          ResponseModels: {},
        },
      ],
      RequestParameters: {},
      Integration: {
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{statusCode:200}' },
        ContentHandling: 'CONVERT_TO_TEXT',
        IntegrationResponses: [
          {
            StatusCode: '200',
            ResponseParameters: {
              'method.response.header.Access-Control-Allow-Origin': `'${origins?.[0] ?? '*'}'`,
              'method.response.header.Access-Control-Allow-Headers':
                "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id'",
              'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET'",
            },
            ResponseTemplates: {
              'application/json': origins
                ? `#set($origin = $input.params("Origin"))\n#if($origin == "") #set($origin = $input.params("origin")) #end\n#if(${origins.map((origin) => `$origin.matches("${origin.replaceAll('.', '\\.')}")`).join(' || ')}) #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end`
                : '',
            },
          },
        ],
      },
      ResourceId: { Ref: 'Resource0' },
      RestApiId: { Ref: 'Api' },
    },
  },
});

const default4xx = {
  GatewayResponseDefault4XX: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Allow-Headers': "'*'",
      },
      ResponseType: 'DEFAULT_4XX',
      RestApiId: { Ref: 'Api' },
    },
  },
  GatewayResponseUnauthorized: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
      },
      ResponseTemplates: {
        'application/json': '{"error":"unauthorized","message":$context.error.messageString}',
      },
      ResponseType: 'UNAUTHORIZED',
      RestApiId: { Ref: 'Api' },
    },
  },
};

beforeAll(async () => {
  cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  pool = await deployUserPoolStack(cloud);
  ({ url } = await deployProbeStack(cloud, {
    stackName: 'browser',
    authorizationType: 'COGNITO_USER_POOLS',
    cognito: { providerArns: [pool.poolArn] },
    extraResources: {
      ...preflight(['https://shop.example.com', 'https://admin.shop.example.com']),
      ...default4xx,
    },
  }));
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
});

test('a preflight is answered by the MOCK integration: no token needed, CORS headers, empty body, an allowed Origin echoed', async () => {
  const answer = await fetch(`${url}/me/orders`, {
    method: 'OPTIONS',
    headers: { origin: 'https://admin.shop.example.com', 'access-control-request-method': 'GET' },
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example.com');
  expect(answer.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET');
  expect(await answer.text()).toBe('');
  // An origin that is not allowed gets the static first origin, never its own.
  const stranger = await fetch(`${url}/me/orders`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example' },
  });
  expect(stranger.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
});

test('a 401 carries the UNAUTHORIZED gateway response: its header and its template', async () => {
  const answer = await fetch(`${url}/me/orders`, { headers: { origin: 'https://shop.example.com' } });
  expect(answer.status).toBe(401);
  expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  expect(await answer.json()).toEqual({ error: 'unauthorized', message: 'Unauthorized' });
});

test('other 4xx refusals take DEFAULT_4XX: an unknown method gets the CORS header too', async () => {
  const answer = await fetch(url.replace(/\/_user_request_$/, '/_user_request_'), { method: 'POST' });
  // The stage root has no POST method: MISSING_AUTHENTICATION_TOKEN, rendered with DEFAULT_4XX's headers.
  expect(answer.status).toBe(403);
  expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  expect(await answer.json()).toEqual({ message: 'Missing Authentication Token' });
});

test('a NONE route under a resource policy needs an explicit Allow for the anonymous caller', async () => {
  const denyOnly = await deployProbeStack(cloud, {
    stackName: 'none-deny-only',
    authorizationType: 'NONE',
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*/*/private/*',
        },
      ],
    },
  });
  const refused = await fetch(`${denyOnly.url}/public`);
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { Message: string }).Message).toMatch(
    /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]+\/test\/GET\/public$/,
  );
  const allowing = await deployProbeStack(cloud, {
    stackName: 'none-allowing',
    authorizationType: 'NONE',
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*/*/private/*',
        },
      ],
    },
  });
  expect((await fetch(`${allowing.url}/public`)).status).toBe(200);
  expect((await fetch(`${allowing.url}/private/x`)).status).toBe(403);
  await cloud.remove('none-deny-only');
  await cloud.remove('none-allowing');
});

test('request text in a refusal message is never read as a template or as replacement patterns', async () => {
  const { url: denied } = await deployProbeStack(cloud, {
    stackName: 'templated',
    authorizationType: 'NONE',
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*/*/open/*',
        },
      ],
    },
    extraResources: {
      Denied: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          ResponseType: 'ACCESS_DENIED',
          ResponseTemplates: {
            'application/json': '{"error":"denied","message":$context.error.messageString,"tail":"T"}',
          },
          RestApiId: { Ref: 'Api' },
        },
      },
    },
  });
  for (const segment of ["$'", '$&', '$`', '$context.error.message', '$context.error.messageString']) {
    const answer = await fetch(`${denied}/x/${segment}`);
    expect(answer.status).toBe(403);
    const body = (await answer.json()) as { error: string; message: string; tail: string };
    expect(body).toMatchObject({ error: 'denied', tail: 'T' });
    expect(body.message).toMatch(
      /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: /,
    );
  }
  await cloud.remove('templated');
});

// aws:PrincipalArn: "Anonymous requests do not include this key"; aws:PrincipalAccount: "For anonymous requests, the
// request context returns anonymous" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
test('an anonymous caller has no aws:PrincipalArn, and aws:PrincipalAccount "anonymous"', async () => {
  const { url: guarded } = await deployProbeStack(cloud, {
    stackName: 'null-guard',
    authorizationType: 'NONE',
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: {
            Null: { 'aws:PrincipalArn': 'true' },
            StringEquals: { 'aws:PrincipalAccount': 'anonymous' },
          },
        },
      ],
    },
  });
  expect((await fetch(`${guarded}/anything`)).status).toBe(403);
  await cloud.remove('null-guard');
});

const refusedStack = () =>
  probeStackTemplate({ stackName: 'refused' }) as unknown as {
    Resources: Record<string, { Properties: Record<string, unknown> }>;
  };
const deployRefused = (template: unknown) =>
  deployWithSources(cloud, 'refused', template as never, {
    'probe.zip': 'exports.handler = async () => ({ statusCode: 200 });',
  });

test.each([
  ['a request validator', { RequestValidatorId: 'abc123' }, 'RequestValidatorId'],
  [
    'a required request parameter',
    { RequestParameters: { 'method.request.header.X-Tenant': true } },
    'required RequestParameters',
  ],
])('refused at deploy until enforced: %s', async (_label, properties, message) => {
  const stack = refusedStack();
  Object.assign(
    (stack.Resources.ProxyMethod as { Properties: Record<string, unknown> }).Properties,
    properties,
  );
  await expect(deployRefused(stack)).rejects.toThrow(message);
});

test('refused at deploy: a PRIVATE endpoint, a framing header in a gateway response', async () => {
  const privateApi = refusedStack();
  (privateApi.Resources.Api as { Properties: Record<string, unknown> }).Properties.EndpointConfiguration = {
    Types: ['PRIVATE'],
  };
  await expect(deployRefused(privateApi)).rejects.toThrow('PRIVATE endpoint');
  const framing = probeStackTemplate({
    stackName: 'refused',
    extraResources: {
      Bad: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          ResponseType: 'DEFAULT_4XX',
          ResponseParameters: { 'gatewayresponse.header.Content-Length': "'2'" },
          RestApiId: { Ref: 'Api' },
        },
      },
    },
  });
  await expect(deployRefused(framing)).rejects.toThrow('sets Content-Length itself');
});

test.each([
  [
    'a MOCK with a mapped (not literal) header',
    { 'method.response.header.X-Trace': 'method.request.header.X-Trace' },
    undefined,
    'only quoted literals are emulated',
  ],
  [
    'a gateway response template with VTL',
    undefined,
    '#if($context.error.message) x #end',
    'only literal text',
  ],
])('refused at deploy: %s', async (_label, mockParameters, template, message) => {
  const extra: Record<string, { Properties: Record<string, unknown> }> = JSON.parse(
    JSON.stringify({ ...preflight(), ...default4xx }),
  );
  if (mockParameters)
    (
      (extra.ProxyOptions?.Properties.Integration as { IntegrationResponses: Array<Record<string, unknown>> })
        .IntegrationResponses[0] as Record<string, unknown>
    ).ResponseParameters = mockParameters;
  if (template)
    (
      extra.GatewayResponseDefault4XX as { Properties: Record<string, unknown> }
    ).Properties.ResponseTemplates = { 'application/json': template };
  const stack = probeStackTemplate({ stackName: 'refused', extraResources: extra });
  await expect(
    deployWithSources(cloud, 'refused', stack, {
      'probe.zip': 'exports.handler = async () => ({ statusCode: 200 });',
    }),
  ).rejects.toThrow(message);
});
