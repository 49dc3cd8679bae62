export { DynamoDBService, type DynamoDBServiceOptions, type ForwardedResponse } from './dynamodb-service';
export { foreignTable } from './account-boundary';
