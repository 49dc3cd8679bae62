export { apiGatewayProxyEvent, lambdaContext, type ProxyEventInput } from './api-gateway-event';
export { startLocalDynamoDB, type LocalDynamoDB, type TableDefinition } from './local-dynamodb';
