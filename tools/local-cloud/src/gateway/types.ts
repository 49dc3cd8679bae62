import type { PolicyDocument } from '../iam';

export type AuthorizationType = 'NONE' | 'AWS_IAM';

export interface ApiMethod {
  httpMethod: string;
  authorizationType: AuthorizationType;
  /** AWS_PROXY integration with a Lambda function of the local cloud. */
  functionName?: string;
}

export interface ApiResource {
  id: string;
  parentId?: string;
  pathPart: string;
  /** Full path, e.g. `/customers/{id}`; computed when the API is published. */
  path: string;
  methods: Map<string, ApiMethod>;
}

export interface RestApi {
  id: string;
  name: string;
  stackName: string;
  accountId: string;
  region: string;
  /** Resource policy with `execute-api:/` already expanded to this API's ARN, as API Gateway stores it. */
  policy?: PolicyDocument;
  binaryMediaTypes: string[];
  stages: Set<string>;
  resources: Map<string, ApiResource>;
}
