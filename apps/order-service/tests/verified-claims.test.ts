import { createLogger, httpHandler, type HttpRoute } from '@sigv4-auth/lambda-http';
import { apiGatewayProxyEvent, lambdaContext } from '@sigv4-auth/testing';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { createMyOrderRoute, getMyOrderRoute, listMyOrdersRoute } from '../src/handlers/me-routes';
import { cancelOrderRoute, listAdminOrdersRoute } from '../src/handlers/admin-routes';
import { getPartnerOrderRoute } from '../src/handlers/partner-routes';
import { OrderRepository } from '../src/repository/order-repository';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The /me and /partner routes take who the caller is only from the claims API Gateway's Cognito authorizer
 * verified. Reached without them, or with the wrong kind of token's (a method deployed without its authorizer,
 * or with the wrong scopes), they stop: a generic 500 for the caller, the reason in the log, and nothing read,
 * written or fetched. A header or body claiming an identity changes nothing.
 */
const ORDER_ID = '33333333-3333-4333-8333-333333333333';
const SUB = '22222222-2222-4222-8222-222222222222';
const touched: string[] = [];
const orders = new OrderRepository(
  {
    send: async () => {
      touched.push('dynamodb');
      throw new Error('DynamoDB must not be called');
    },
  } as unknown as DynamoDBDocumentClient,
  'orders-unused',
);
const customers = new CustomerServiceClient('http://127.0.0.1:9/unused', async () => {
  touched.push('customer-service');
  throw new Error('customer-service must not be called');
});
const logged: string[] = [];
const logger = createLogger({ service: 'order-service', write: (line) => logged.push(line) });

const withClaims = (event: APIGatewayProxyEvent, claims: Record<string, string> | null) => ({
  ...event,
  // What a caller might send to pass as someone: never read.
  headers: { ...event.headers, 'x-user-sub': SUB, authorization: 'Bearer forged' },
  requestContext: { ...event.requestContext, authorizer: claims === null ? null : { claims } },
});
const getById = (collection: string) =>
  apiGatewayProxyEvent({
    httpMethod: 'GET',
    resource: `${collection}/{id}`,
    path: `${collection}/${ORDER_ID}`,
    pathParameters: { id: ORDER_ID },
  });
const routes: Array<[string, HttpRoute, APIGatewayProxyEvent]> = [
  [
    'POST /me/orders',
    createMyOrderRoute({ orders, customers }),
    apiGatewayProxyEvent({
      httpMethod: 'POST',
      resource: '/me/orders',
      path: '/me/orders',
      body: JSON.stringify({ sub: SUB, items: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 100 }] }),
    }),
  ],
  [
    'GET /me/orders',
    listMyOrdersRoute(orders),
    apiGatewayProxyEvent({ httpMethod: 'GET', resource: '/me/orders', path: '/me/orders' }),
  ],
  ['GET /me/orders/{id}', getMyOrderRoute(orders), getById('/me/orders')],
];
const partnerRoute: [string, HttpRoute, APIGatewayProxyEvent] = [
  'GET /partner/orders/{id}',
  getPartnerOrderRoute(orders),
  getById('/partner/orders'),
];
const accessTokenClaims = {
  sub: 'partnerclientid000000000001',
  client_id: 'partnerclientid000000000001',
  token_use: 'access',
  scope: 'orders-api/orders.read',
};

describe('routes reached without the verified claims they need', () => {
  beforeEach(() => {
    touched.length = 0;
    logged.length = 0;
  });

  it.each([
    ...[...routes, partnerRoute].map(([name, route, event]) => [`${name}, no claims`, route, event, null]),
    ...routes.map(([name, route, event]) => [
      `${name}, an access token's claims`,
      route,
      event,
      accessTokenClaims,
    ]),
    ...routes.map(([name, route, event]) => [
      `${name}, an ID token's claims without a sub`,
      route,
      event,
      { token_use: 'id', email: 'ada@example.com' },
    ]),
    [
      `${partnerRoute[0]}, an ID token's claims`,
      partnerRoute[1],
      partnerRoute[2],
      { sub: SUB, token_use: 'id' },
    ],
    [
      `${partnerRoute[0]}, an access token without the scope`,
      partnerRoute[1],
      partnerRoute[2],
      { ...accessTokenClaims, scope: 'aws.cognito.signin.user.admin' },
    ],
  ] as Array<[string, HttpRoute, APIGatewayProxyEvent, Record<string, string> | null]>)(
    '%s: 500, nothing done, the reason logged',
    async (_name, route, event, claims) => {
      // Act
      const response = await httpHandler(logger, route)(withClaims(event, claims), lambdaContext);

      // Assess
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: 'InternalServerError',
        message: 'Internal server error',
      });
      expect(touched).toEqual([]);
      expect(logged.join('\n')).toMatch(
        /"name":"MissingVerifiedClaimsError","message":"[A-Z]+ \/\S+ (was reached without|needs)/,
      );
    },
  );
});

describe('/admin routes take the staff member only from the admin authorizer’s context', () => {
  const listEvent = apiGatewayProxyEvent({
    httpMethod: 'GET',
    resource: '/admin/orders',
    path: '/admin/orders',
  });
  const cancelEvent = {
    ...getById('/admin/orders'),
    httpMethod: 'DELETE',
  };
  const withContext = (event: APIGatewayProxyEvent, context: Record<string, unknown> | null) => ({
    ...event,
    headers: { ...event.headers, 'x-staff-groups': '["admin"]' },
    requestContext: { ...event.requestContext, authorizer: context },
  });
  const run = (route: HttpRoute, event: APIGatewayProxyEvent) =>
    httpHandler(logger, route)(event, lambdaContext);

  beforeEach(() => {
    touched.length = 0;
    logged.length = 0;
  });

  it.each([
    ['no context', null],
    ['no sub', { principalId: 'bob', groups: '["admin"]' }],
    ['a principalId that is not the sub', { principalId: 'mallory', sub: 'bob', groups: '["admin"]' }],
    ['groups that are not a JSON list of names', { principalId: 'bob', sub: 'bob', groups: 'admin' }],
  ])('%s: 500, nothing read or written', async (_name, context) => {
    for (const [route, event] of [
      [listAdminOrdersRoute(orders), listEvent],
      [cancelOrderRoute(orders), cancelEvent],
    ] as const) {
      const answer = await run(route, withContext(event, context));
      expect(answer.statusCode).toBe(500);
    }
    expect(touched).toEqual([]);
    expect(logged.join('\n')).toContain('MissingVerifiedClaimsError');
  });

  it.each([
    ['eve (no group) listing', listAdminOrdersRoute(orders), listEvent, '[]'],
    ['eve (no group) cancelling', cancelOrderRoute(orders), cancelEvent, '[]'],
    ['alice (support) cancelling', cancelOrderRoute(orders), cancelEvent, '["support"]'],
    ['a group named "x,admin" cancelling', cancelOrderRoute(orders), cancelEvent, '["x,admin"]'],
  ])(
    '%s, if a policy mistake let the request through: 403 from the handler, nothing touched',
    async (_name, route, event, groups) => {
      const answer = await run(route, withContext(event, { principalId: 'eve', sub: 'eve', groups }));
      expect(answer.statusCode).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'Forbidden' });
      expect(touched).toEqual([]);
    },
  );
});
