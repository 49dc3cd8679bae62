export { DynamoDBApi } from './dynamodb-api';
export { DynamoDBService, type DynamoDBServiceOptions, type ForwardedResponse } from './dynamodb-service';
export { accessesOf, type DynamoDBAccess, type TableKeys } from './request-authorization';
