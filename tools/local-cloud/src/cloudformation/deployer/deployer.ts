import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import {
  OAUTH2_TOKEN_PATH,
  type AppClient,
  type ResourceServer,
  type UserGroup,
  type UserPoolConfig,
  type UserPools,
} from '../../cognito';
import type { DynamoDBService } from '../../dynamodb';
import type { ApiGatewayService, ApiKey, ApiResource, RestApi, UsagePlan } from '../../gateway';
import { authorize, notAuthorizedMessage, validatePolicyDocument, type PolicyKind } from '../../iam';
import { stableUniqueId, type Caller, type IdentityStore } from '../../identity';
import type { LambdaService } from '../../lambda';
import {
  evaluateConditions,
  resolveOutputs,
  resolveValue,
  resourceOrder,
  type CloudFormationTemplate,
  type ResolutionContext,
} from '../template';
import { DeploymentError } from './errors';
import { validateStackName } from './names';
import { PLANNERS, type Planned } from './resource-plans';
import type { Stack, StackOutput } from './stack';

export interface DeployerOptions {
  accountId: string;
  region: string;
  identities: IdentityStore;
  lambda: LambdaService;
  gateway: ApiGatewayService;
  dynamodb: DynamoDBService;
  cognito: UserPools;
  now: () => Date;
  /** Where function code is extracted. */
  codeDir: string;
  /** The local cloud's URL, to turn `https://{api}.execute-api...` (and pool token endpoint) outputs into local URLs. */
  endpointUrl: () => string;
  log: (line: string) => void;
}

export interface DeployInput {
  /** CloudFormation's pattern: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters. */
  stackName: string;
  template: CloudFormationTemplate;
  /** Folder holding the deployment packages (`serverless package` output, `.serverless/`). */
  artifactsDir: string;
}

const COGNITO_TOKEN_URL = /^https:\/\/([a-z0-9-]+)\.auth\.[a-z0-9-]+\.amazoncognito\.com\/oauth2\/token$/;
const EXECUTE_API_URL = /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/([^/]+)(\/.*)?$/;

/**
 * Deploys packaged CloudFormation templates into the local cloud: plans every resource first (resolving
 * intrinsics, validating policies, checking code packages), and only then changes anything, so a bad
 * template never leaves a half-deployed stack. Redeploying replaces code and config and keeps table data.
 */
export class Deployer {
  private readonly deployed = new Map<
    string,
    { stack: Stack; planned: Map<string, Planned>; imports: Set<string> }
  >();

  public constructor(private readonly options: DeployerOptions) {}

  public stacks(): Stack[] {
    return [...this.deployed.values()].map((entry) => entry.stack);
  }

  public stack(name: string): Stack | undefined {
    return this.deployed.get(name)?.stack;
  }

  /** Plans, checks names and the deployer's permissions, then applies; `deployer` is who CloudFormation acts for. */
  public async deploy(input: DeployInput, deployer: Caller): Promise<Stack> {
    validateStackName(input.stackName);
    const { planned, outputs, imports } = this.plan(input);
    this.userPoolConfigs(
      input.stackName,
      [...planned.values()].map((resource) => resource.plan),
    );
    // The APIs are built once before anything is applied, so an API that cannot be built (a method naming an
    // authorizer it lacks, a resource with an unknown parent) refuses the deploy instead of half-applying it.
    for (const { plan } of planned.values())
      if (plan.kind === 'rest-api')
        this.buildApi(input.stackName, plan, planned, this.options.accountId, this.options.region);
    this.checkOwnership(input.stackName, planned);
    const conflict = this.options.gateway.usagePlans.conflict(input.stackName, ...this.usagePlansOf(planned));
    if (conflict) throw new DeploymentError(`${input.stackName}: ${conflict}`);
    this.checkDeployer(input.stackName, planned, deployer);
    const replaced = this.deployed.get(input.stackName)?.planned;
    await this.apply(input.stackName, planned);
    // Pools (and their users) go only once the new version is in place: a failed deploy loses no user.
    if (replaced) this.removeUserPools(replaced, planned);
    const previous = this.deployed.get(input.stackName)?.stack;
    const now = new Date();
    const stack: Stack = {
      stackName: input.stackName,
      stackId: `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${input.stackName}/${stableUniqueId('AIDA', input.stackName).slice(4).toLowerCase()}`,
      status: previous ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      description: input.template.Description,
      outputs,
      resources: [...planned].map(([logicalId, resource]) => ({
        logicalId,
        type: input.template.Resources[logicalId]?.Type ?? 'unknown',
        physicalId: resource.physicalId,
        status: resource.plan.kind === 'skipped' ? 'skipped' : 'created',
      })),
    };
    this.deployed.set(input.stackName, { stack, planned, imports });
    for (const [logicalId, resource] of planned) {
      const type = input.template.Resources[logicalId]?.Type;
      if (resource.plan.kind === 'skipped')
        this.options.log(`${input.stackName}: skipped ${logicalId} (${type}): ${resource.plan.reason}`);
      for (const note of resource.notApplied ?? [])
        this.options.log(`${input.stackName}: ${logicalId} (${type}) deployed without ${note}`);
    }
    return stack;
  }

  /** Removes a stack's functions, APIs and roles. Tables are kept (like DeletionPolicy: Retain) - no data lost. */
  public async remove(stackName: string): Promise<void> {
    validateStackName(stackName);
    const entry = this.deployed.get(stackName);
    if (!entry) throw new DeploymentError(`Stack ${stackName} does not exist`);
    const importers = this.importersOf(stackName);
    if (importers.length > 0) {
      throw new DeploymentError(
        `Stack ${stackName} cannot be removed: its exports are imported by ${importers.join(', ')}`,
      );
    }
    await this.retire(stackName, entry.planned, new Map());
    this.removeUserPools(entry.planned, new Map());
    this.options.gateway.usagePlans.removeStack(stackName);
    this.deployed.delete(stackName);
  }

  /**
   * A name another stack (or the seeded identities) owns is refused, as AWS refuses it (IAM EntityAlreadyExists,
   * Lambda ResourceConflictException, CloudFormation "already exists in stack"): a template must never take over
   * a role, function or table it did not create. Tables a removed stack left behind (kept, with their data) may
   * be adopted.
   */
  private checkOwnership(stackName: string, planned: Map<string, Planned>): void {
    const ownedElsewhere = new Map<string, string>();
    for (const [name, entry] of this.deployed)
      if (name !== stackName)
        for (const { plan } of entry.planned.values())
          if (plan.kind === 'table') ownedElsewhere.set(plan.name, name);
    for (const [logicalId, { plan }] of planned) {
      if (plan.kind === 'role') {
        const existing = this.options.identities.role(plan.arn);
        if (existing && existing.stackName !== stackName)
          throw new DeploymentError(
            `${stackName}: ${logicalId}: Role with name ${plan.name} already exists (${existing.stackName ? `stack ${existing.stackName}` : 'a seeded identity'})`,
          );
      } else if (plan.kind === 'function') {
        const existing = this.options.lambda.get(plan.name);
        if (existing && existing.stackName !== stackName)
          throw new DeploymentError(
            `${stackName}: ${logicalId}: Function already exist: ${plan.name} (stack ${existing.stackName})`,
          );
      } else if (plan.kind === 'table' && ownedElsewhere.has(plan.name)) {
        throw new DeploymentError(
          `${stackName}: ${logicalId}: ${plan.name} already exists in stack ${ownedElsewhere.get(plan.name)}`,
        );
      }
    }
  }

  /**
   * `deployer` is who CloudFormation acts for: without a stack service role it "uses a temporary session that it
   * generates from your user credentials" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html),
   * so the deployer needs the create permissions of what the stack makes, and `iam:PassRole` on every function
   * role (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
   */
  private checkDeployer(stackName: string, planned: Map<string, Planned>, deployer: Caller): void {
    const { accountId, region } = this.options;
    for (const [logicalId, { plan }] of planned) {
      const needed: Array<{ action: string; resource: string; context?: Record<string, string> }> = [];
      if (plan.kind === 'role') {
        needed.push({ action: 'iam:CreateRole', resource: plan.arn });
        if (plan.policies.length > 0) needed.push({ action: 'iam:PutRolePolicy', resource: plan.arn });
      } else if (plan.kind === 'function') {
        needed.push({ action: 'lambda:CreateFunction', resource: plan.arn });
        needed.push({
          action: 'iam:PassRole',
          resource: plan.roleArn,
          context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        });
      } else if (plan.kind === 'rest-api') {
        // API Gateway's control plane authorizes by HTTP verb on the resource path
        // (https://docs.aws.amazon.com/apigateway/latest/developerguide/security_iam_service-with-iam.html).
        needed.push({ action: 'apigateway:POST', resource: `arn:aws:apigateway:${region}::/restapis` });
      } else if (plan.kind === 'table') {
        needed.push({
          action: 'dynamodb:CreateTable',
          resource: `arn:aws:dynamodb:${region}:${accountId}:table/${plan.name}`,
        });
      } else if (plan.kind === 'lambda-permission') {
        needed.push({
          action: 'lambda:AddPermission',
          resource: `arn:aws:lambda:${region}:${accountId}:function:${plan.functionName}`,
        });
      } else if (plan.kind === 'user-pool') {
        needed.push({ action: 'cognito-idp:CreateUserPool', resource: '*' });
      } else if (plan.kind === 'user-pool-client') {
        needed.push({
          action: 'cognito-idp:CreateUserPoolClient',
          resource: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${plan.poolId}`,
        });
      }
      for (const { action, resource, context } of needed) {
        const decision = authorize({
          principal: deployer.principal,
          action,
          resource,
          resourceAccountId: accountId,
          identityPolicies: deployer.identityPolicies,
          sessionPolicies: deployer.sessionPolicies,
          context,
          now: this.options.now(),
        });
        if (decision.allowed) continue;
        this.options.log(`deploy of ${stackName} refused: ${decision.explanation}`);
        throw new DeploymentError(
          `${stackName}: ${logicalId}: ${notAuthorizedMessage(deployer.principal.arn, action, resource, decision)}`,
        );
      }
    }
  }

  private importersOf(stackName: string): string[] {
    const exportNames = new Set(this.stack(stackName)?.outputs.flatMap((output) => output.exportName ?? []));
    return [...this.deployed.values()]
      .filter(
        (entry) =>
          entry.stack.stackName !== stackName && [...entry.imports].some((name) => exportNames.has(name)),
      )
      .map((entry) => entry.stack.stackName);
  }

  private exportValue(name: string, exceptStack: string): string | undefined {
    for (const { stack } of this.deployed.values()) {
      if (stack.stackName === exceptStack) continue;
      const output = stack.outputs.find((candidate) => candidate.exportName === name);
      if (output) return output.value;
    }
    return undefined;
  }

  private plan(input: DeployInput): {
    planned: Map<string, Planned>;
    outputs: StackOutput[];
    imports: Set<string>;
  } {
    const { accountId, region } = this.options;
    const { stackName, template } = input;
    if (!template || typeof template !== 'object' || !template.Resources) {
      throw new DeploymentError(`${stackName}: the template has no Resources`);
    }
    const unsupported = Object.entries(template.Resources)
      .filter(([, resource]) => !PLANNERS[resource.Type])
      .map(([logicalId, resource]) => `${logicalId} (${resource.Type})`);
    if (unsupported.length > 0) {
      throw new DeploymentError(
        `${stackName}: resource types not supported by the local cloud: ${unsupported.join(', ')}`,
      );
    }
    const planned = new Map<string, Planned>();
    const imports = new Set<string>();
    const ctx: ResolutionContext = {
      accountId,
      region,
      stackName,
      stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/local`,
      ref: (logicalId) => planned.get(logicalId)?.physicalId,
      getAtt: (logicalId, attribute) => planned.get(logicalId)?.attributes[attribute],
      importValue: (name) => {
        imports.add(name);
        return this.exportValue(name, stackName);
      },
    };
    try {
      const conditions = evaluateConditions(template, ctx);
      for (const logicalId of resourceOrder(template)) {
        const resource = template.Resources[logicalId];
        if (!resource || (resource.Condition && !conditions[resource.Condition])) continue;
        const props = (resolveValue(
          resource.Properties ?? {},
          ctx,
          conditions,
          template,
          `Resources.${logicalId}.Properties`,
        ) ?? {}) as Record<string, unknown>;
        const planner = PLANNERS[resource.Type] as (typeof PLANNERS)[string];
        const result = planner(props, {
          stackName,
          logicalId,
          accountId,
          region,
          artifactsDir: input.artifactsDir,
          clientSecret: (clientId) => this.options.cognito.clientSecret(clientId),
          // 40 hex digits: alphanumeric, as API Gateway's generated keys are.
          generatedSecret: (label) => this.options.cognito.derive(label).subarray(0, 20).toString('hex'),
        });
        this.validatePolicies(logicalId, result);
        planned.set(logicalId, result);
      }
      const outputs = resolveOutputs(template, ctx, conditions).map((output) => ({
        ...output,
        value: this.localUrl(output.value, planned),
      }));
      for (const output of outputs) {
        if (!output.exportName) continue;
        const owner = this.stacks().find(
          (stack) =>
            stack.stackName !== stackName &&
            stack.outputs.some((other) => other.exportName === output.exportName),
        );
        if (owner)
          throw new DeploymentError(
            `Export with name ${output.exportName} is already exported by stack ${owner.stackName}`,
          );
      }
      return { planned, outputs, imports };
    } catch (error) {
      if (error instanceof DeploymentError) throw error;
      throw new DeploymentError(`${stackName}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  private validatePolicies(logicalId: string, planned: Planned): void {
    const { plan } = planned;
    const documents: Array<[unknown, PolicyKind]> =
      plan.kind === 'role'
        ? [
            [plan.trustPolicy, 'trust'],
            ...plan.policies.map((policy): [unknown, PolicyKind] => [policy.document, 'identity']),
          ]
        : plan.kind === 'rest-api' && plan.policy
          ? [[plan.policy, 'resource']]
          : [];
    for (const [document, kind] of documents) {
      const problems = validatePolicyDocument(document, kind);
      if (problems.length > 0)
        throw new DeploymentError(`${logicalId}: invalid policy: ${problems.join('; ')}`);
    }
  }

  /** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}` of a local API -> its local-cloud URL. */
  private localUrl(value: string, planned: Map<string, Planned>): string {
    // A pool domain's token endpoint is served locally at one path for every pool (the client id picks it).
    const domain = COGNITO_TOKEN_URL.exec(value)?.[1];
    if (
      domain &&
      [...planned.values()].some(({ plan }) => plan.kind === 'user-pool-domain' && plan.domain === domain)
    )
      return `${this.options.endpointUrl()}${OAUTH2_TOKEN_PATH}`;
    const match = EXECUTE_API_URL.exec(value);
    if (!match) return value;
    const [, apiId, stage, rest = ''] = match;
    const isLocal = [...planned.values()].some(
      (resource) => resource.plan.kind === 'rest-api' && resource.physicalId === apiId,
    );
    if (!isLocal && !this.options.gateway.get(apiId as string)) return value;
    return `${this.options.endpointUrl()}/restapis/${apiId}/${stage}/_user_request_${rest}`;
  }

  private async apply(stackName: string, planned: Map<string, Planned>): Promise<void> {
    const { identities, lambda, gateway, dynamodb, accountId, region } = this.options;
    const previous = this.deployed.get(stackName)?.planned;
    if (previous) await this.retire(stackName, previous, planned);
    const plans = [...planned.values()].map((resource) => resource.plan);
    for (const plan of plans) {
      if (plan.kind !== 'table') continue;
      const { status, output } = await dynamodb.call<{ __type?: string; message?: string }>(
        'CreateTable',
        plan.definition,
      );
      // An existing table is kept as it is, with its data (redeploys must never lose data).
      if (status !== 200 && !String(output.__type).endsWith('ResourceInUseException')) {
        throw new DeploymentError(`Table ${plan.name}: ${output.message ?? output.__type ?? status}`);
      }
    }
    for (const plan of plans) {
      if (plan.kind !== 'role') continue;
      identities.putRole({
        kind: 'role',
        name: plan.name,
        accountId,
        arn: plan.arn,
        roleId: stableUniqueId('AROA', plan.arn),
        trustPolicy: plan.trustPolicy,
        policies: plan.policies,
        maxSessionDurationSeconds: plan.maxSessionDurationSeconds,
        tags: {},
        stackName,
      });
    }
    for (const plan of plans) {
      if (plan.kind !== 'function') continue;
      await lambda.put({
        name: plan.name,
        arn: plan.arn,
        handler: plan.handler,
        runtime: plan.runtime,
        timeoutSeconds: plan.timeoutSeconds,
        memoryMb: plan.memoryMb,
        environment: plan.environment,
        roleArn: plan.roleArn,
        codeDir: this.extract(plan.name, plan.zipFile),
        stackName,
      });
    }
    // Functions run on the cloud's own node: say so when the template declares another (code that passes here
    // may still meet a different node on Lambda, and SDKs warn about the version they see).
    const hostRuntime = `nodejs${process.versions.node.split('.')[0]}.x`;
    const declared = new Set(plans.flatMap((plan) => (plan.kind === 'function' ? [plan.runtime] : [])));
    declared.delete(hostRuntime);
    if (declared.size > 0)
      this.options.log(
        `${stackName}: functions declared ${[...declared].join(', ')} run on this machine's node ${process.version} locally`,
      );
    for (const plan of plans) {
      if (plan.kind !== 'lambda-permission') continue;
      const id = [...planned.values()].find((resource) => resource.plan === plan)?.physicalId as string;
      lambda.putPermission({ id: `${stackName}/${id}`, ...plan });
    }
    for (const config of this.userPoolConfigs(stackName, plans))
      this.options.cognito.put(config, this.options.now().getTime());
    this.options.gateway.usagePlans.putStack(
      stackName,
      ...this.usagePlansOf(planned),
      this.options.now().getTime(),
    );
    for (const plan of plans) {
      if (plan.kind !== 'rest-api') continue;
      gateway.put(this.buildApi(stackName, plan, planned, accountId, region));
    }
  }

  /**
   * Each pool of the stack with its clients, groups, resource servers and domain (users and keys are kept by
   * UserPools across redeploys). Also run before anything is applied, so a bad scope refuses the whole deploy.
   */
  private userPoolConfigs(stackName: string, plans: Planned['plan'][]): UserPoolConfig[] {
    const { accountId, region } = this.options;
    const configs: UserPoolConfig[] = [];
    // A client, group, resource server or domain is deployed with its pool: one of another stack's pool (or of
    // none) is refused, never dropped.
    const poolIds = new Set(plans.flatMap((plan) => (plan.kind === 'user-pool' ? [plan.id] : [])));
    for (const plan of plans)
      if ('poolId' in plan && plan.kind.startsWith('user-pool-') && !poolIds.has(plan.poolId))
        throw new DeploymentError(
          `${stackName}: ${plan.kind} for user pool ${plan.poolId}: the local cloud deploys the parts of a pool in the pool's own stack`,
        );
    for (const plan of plans) {
      if (plan.kind !== 'user-pool') continue;
      const parts = <T>(kind: string, pick: (part: Planned['plan']) => T | undefined): T[] =>
        plans.flatMap((part) =>
          part.kind === kind && 'poolId' in part && part.poolId === plan.id ? [pick(part) as T] : [],
        );
      const clients = parts<AppClient>('user-pool-client', (part) =>
        part.kind === 'user-pool-client' ? part.client : undefined,
      );
      const resourceServers = parts<ResourceServer>('user-pool-resource-server', (part) =>
        part.kind === 'user-pool-resource-server' ? part.server : undefined,
      );
      const scopes = new Set(
        resourceServers.flatMap((server) =>
          server.scopes.map((scope) => `${server.identifier}/${scope.ScopeName}`),
        ),
      );
      const standard = ['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin'];
      for (const client of clients)
        for (const scope of client.allowedOAuthScopes)
          if (!standard.includes(scope) && !scopes.has(scope))
            throw new DeploymentError(
              `${stackName}: app client ${client.clientName}: scope ${scope} does not exist (ScopeDoesNotExistException): define it in an AWS::Cognito::UserPoolResourceServer of the pool`,
            );
      const domains = parts<string>('user-pool-domain', (part) =>
        part.kind === 'user-pool-domain' ? part.domain : undefined,
      );
      configs.push({
        id: plan.id,
        name: plan.name,
        arn: plan.arn,
        accountId,
        region,
        stackName,
        usernameAttributes: plan.usernameAttributes,
        autoVerifiedAttributes: plan.autoVerifiedAttributes,
        caseSensitive: plan.caseSensitive,
        passwordPolicy: plan.passwordPolicy,
        lambdaConfig: plan.lambdaConfig,
        adminCreateUserOnly: plan.adminCreateUserOnly,
        customAttributes: plan.customAttributes,
        requiredAttributes: plan.requiredAttributes,
        selfServiceRecovery: plan.selfServiceRecovery,
        clients,
        groups: parts<UserGroup>('user-pool-group', (part) =>
          part.kind === 'user-pool-group' ? part.group : undefined,
        ),
        resourceServers,
        domain: domains[0],
      });
    }
    return configs;
  }

  private buildApi(
    stackName: string,
    api: Extract<Planned['plan'], { kind: 'rest-api' }>,
    planned: Map<string, Planned>,
    accountId: string,
    region: string,
  ): RestApi {
    const { id, name, policy, binaryMediaTypes, apiKeySource } = api;
    const plans = [...planned.values()].map((resource) => resource.plan);
    const rootId = planned.get(
      [...planned.keys()].find((key) => planned.get(key)?.physicalId === id) as string,
    )?.attributes.RootResourceId as string;
    const resources = new Map<string, ApiResource>([
      [rootId, { id: rootId, pathPart: '', path: '/', methods: new Map() }],
    ]);
    const pending = plans.filter((plan) => plan.kind === 'api-resource' && plan.restApiId === id);
    // Parents before children: resolve paths until nothing changes.
    while (pending.length > 0) {
      const index = pending.findIndex((plan) => plan.kind === 'api-resource' && resources.has(plan.parentId));
      if (index < 0) throw new DeploymentError(`API ${name}: resources with unknown parents`);
      const [plan] = pending.splice(index, 1);
      if (plan?.kind !== 'api-resource') continue;
      const parent = resources.get(plan.parentId) as ApiResource;
      const resourcePath = `${parent.path === '/' ? '' : parent.path}/${plan.pathPart}`;
      resources.set(plan.id, {
        id: plan.id,
        parentId: plan.parentId,
        pathPart: plan.pathPart,
        path: resourcePath,
        methods: new Map(),
      });
    }
    const authorizers = new Map(
      plans.flatMap((plan) =>
        plan.kind === 'api-authorizer' && plan.restApiId === id
          ? [[plan.authorizer.id, plan.authorizer] as const]
          : [],
      ),
    );
    for (const plan of plans) {
      if (plan.kind !== 'api-method' || plan.restApiId !== id) continue;
      const authorizerId = plan.method.authorizerId;
      if (authorizerId !== undefined) {
        const authorizer = authorizers.get(authorizerId);
        if (!authorizer)
          throw new DeploymentError(
            `API ${name}: method ${plan.method.httpMethod} names authorizer ${authorizerId}, which is not an authorizer of this API`,
          );
        // A CUSTOM method needs a Lambda authorizer, a COGNITO_USER_POOLS method a Cognito one (API Gateway refuses
        // the mix: "Invalid authorizer ID specified" / a type mismatch on PutMethod).
        const lambda = authorizer.type !== 'COGNITO_USER_POOLS';
        if (lambda !== (plan.method.authorizationType === 'CUSTOM'))
          throw new DeploymentError(
            `API ${name}: method ${plan.method.httpMethod} is ${plan.method.authorizationType} but its authorizer ${authorizer.name} is ${authorizer.type}`,
          );
      }
      resources.get(plan.resourceId)?.methods.set(plan.method.httpMethod, plan.method);
    }
    const stages = new Set(
      plans.flatMap((plan) => (plan.kind === 'api-stage' && plan.restApiId === id ? [plan.stageName] : [])),
    );
    const gatewayResponses = new Map(
      plans.flatMap((plan) =>
        plan.kind === 'gateway-response' && plan.restApiId === id
          ? [[plan.response.type, plan.response] as const]
          : [],
      ),
    );
    return {
      id,
      name,
      stackName,
      accountId,
      region,
      policy,
      binaryMediaTypes,
      apiKeySource,
      stages,
      resources,
      authorizers,
      gatewayResponses,
    };
  }

  /** The stack's API keys and usage plans, each plan with the keys its UsagePlanKeys attach. */
  private usagePlansOf(planned: Map<string, Planned>): [ApiKey[], Array<Omit<UsagePlan, 'createdMs'>>] {
    const plans = [...planned.values()].map((resource) => resource.plan);
    const created = this.options.now().toISOString();
    const keys = plans.flatMap((plan) =>
      plan.kind === 'api-key' ? [{ ...plan.key, createdDate: created }] : [],
    );
    const usagePlans = plans.flatMap((plan) =>
      plan.kind === 'usage-plan'
        ? [
            {
              ...plan.plan,
              keyIds: plans.flatMap((part) =>
                part.kind === 'usage-plan-key' && part.planId === plan.plan.id ? [part.keyId] : [],
              ),
            },
          ]
        : [],
    );
    return [keys, usagePlans];
  }

  /** Removes the user pools `previous` had and `next` has not, with their users and keys. */
  private removeUserPools(previous: Map<string, Planned>, next: Map<string, Planned>): void {
    const kept = new Set(
      [...next.values()].flatMap(({ plan }) => (plan.kind === 'user-pool' ? [plan.id] : [])),
    );
    for (const { plan } of previous.values())
      if (plan.kind === 'user-pool' && !kept.has(plan.id)) this.options.cognito.remove(plan.id);
  }

  /** Shuts down what a stack had and the new version no longer has (or replaces). */
  private async retire(
    stackName: string,
    previous: Map<string, Planned>,
    next: Map<string, Planned>,
  ): Promise<void> {
    const nextIds = new Set(
      [...next.values()].map((resource) => `${resource.plan.kind}:${resource.physicalId}`),
    );
    for (const resource of previous.values()) {
      const { plan } = resource;
      const kept = nextIds.has(`${plan.kind}:${resource.physicalId}`);
      if (plan.kind === 'function' && !kept) await this.options.lambda.remove(plan.name);
      if (plan.kind === 'rest-api' && !kept) this.options.gateway.remove(plan.id);
      if (plan.kind === 'role' && !kept) this.options.identities.removeRole(plan.arn);
      if (plan.kind === 'lambda-permission')
        this.options.lambda.removePermission(`${stackName}/${resource.physicalId}`);
    }
  }

  private extract(functionName: string, zipFile: string): string {
    const zip = readFileSync(zipFile);
    const digest = createHash('sha256').update(zip).digest('hex').slice(0, 16);
    const dir = path.join(this.options.codeDir, functionName, digest);
    // Content-addressed: an unchanged package is already extracted.
    if (existsSync(dir)) return dir;
    // Extract beside, then rename: a crash mid-way never leaves a half-extracted package behind.
    const partial = `${dir}.partial-${process.pid}`;
    for (const [name, content] of Object.entries(unzipSync(new Uint8Array(zip)))) {
      const target = path.join(partial, name);
      if (!target.startsWith(partial + path.sep))
        throw new DeploymentError(`${zipFile}: entry ${name} escapes the package`);
      if (name.endsWith('/')) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    renameSync(partial, dir);
    return dir;
  }
}
