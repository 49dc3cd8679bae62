export { apiGatewayProxyEvent, lambdaContext, type ProxyEventInput } from './api-gateway-event';
export { startLocalDynamoDB, type LocalDynamoDB, type TableDefinition } from './local-dynamodb';
export {
  loadSigV4TestVectors,
  parseHttpRequest,
  sigv4TestSuiteDir,
  type ParsedHttpRequest,
  type SigV4Vector,
} from './sigv4-test-vectors';
export {
  cfnLint,
  cfnText,
  apiMonitoringOf,
  sharedApiMonitoring,
  restApiLogSettings,
  accessLoggingOf,
  sharedAccessLogging,
  type AccessLogging,
  type RestApiLogSettings,
  type ApiMonitoring,
  readPackagedTemplate,
  resourcesOfType,
  actionsOf,
  roleStatements,
  functionRoles,
  roleIsolationProblems,
  statementSummary,
  type CfnResource,
  type FunctionRole,
  type StatementSummary,
  type IamStatement,
  type PackagedTemplate,
} from './cloudformation';
export { packedProject, type PackedProject } from './packed-project';
export { CHROMIUM, chromiumAvailable, describeInChromium, launchChromium } from './chromium';
