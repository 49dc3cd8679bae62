export { DynamoDBService, type DynamoDBServiceOptions, type ForwardedResponse } from './dynamodb-service';
