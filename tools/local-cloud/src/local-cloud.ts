import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  existsSync,
  statSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { ADMIN_TOKEN_FILE, ADMIN_TOKEN_HEADER, AdminToken } from './admin';
import path from 'node:path';
import { CloudFormationService } from './cloudformation/api/cloudformation-service';
import { Deployer, type DeployInput } from './cloudformation/deployer/deployer';
import { DeploymentError } from './cloudformation/deployer/errors';
import type { Stack } from './cloudformation/deployer/stack';
import type { CloudFormationTemplate } from './cloudformation/template';
import { Clock } from './clock/clock';
import {
  COGNITO_TARGET_PREFIX,
  CognitoService,
  jwksOf,
  OAUTH2_TOKEN_PATH,
  oauth2Token,
  openIdConfiguration,
  UserPools,
  type TriggerInvoker,
} from './cognito';
import { DynamoDBApi, DynamoDBService } from './dynamodb';
import { FaultInjector, FaultInputError } from './faults';
import {
  ApiGatewayService,
  EXECUTE_API_PATH,
  MAX_REQUEST_BYTES,
  payloadTooLarge,
  UsagePlanStore,
  ApiGatewayManagement,
  type AccessLogEntry,
} from './gateway';
import { Authenticator } from './http/authenticate';
import { isSigV4WireCode } from './http/sigv4-wire-errors';
import { jsonReply, type IncomingRequest, type OutgoingResponse } from './http/incoming-request';
import { BodyRefusedError, InflightBytes, readBody, requestHead } from './http/read-request';
import { IdentityStore, seedIdentities, type Caller } from './identity';
import { CorporateIdp, IDP_PATH, readCorporateIdp } from './idp';
import { connectionOwnedBy, LambdaService } from './lambda';
import { normalizedPath, readCredentialScope } from '@sigv4-auth/sigv4-verifier';
import { StsService } from './sts';
import { CONSOLE_PATH, LocalConsole } from './console';
import { CloudWatchApi, MetricStore, type Dimension } from './cloudwatch';
import { actionOf, errorOf, parseRequestFilter, refusedBy, RequestLog, type ServiceName } from './requests';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_PORT = 4566;

export interface LocalCloudOptions {
  /** 0 picks a free port (tests). Default 4566, or LOCAL_CLOUD_PORT. */
  port?: number;
  host?: string;
  /** Folder for data that survives restarts (`.local-cloud/`); undefined = everything in memory. */
  stateDir?: string;
  identitiesFile: string;
  accountId?: string;
  region?: string;
  /** Human-readable output (access lines, function logs, refusals). */
  log?: (line: string) => void;
  /** Limits that keep one client from exhausting the cloud (defaults: `DEFAULT_LIMITS`). */
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  /** Open connections at once; further ones are closed as they arrive. */
  maxConnections: number;
  /** Request bodies held in memory at once, over all connections; a body past it gets 503. */
  maxInflightBytes: number;
  /** Time to send the request line and headers (slow clients hold a connection otherwise). */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included. */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 512,
  maxInflightBytes: 100 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/** How long Cognito waits for a Lambda trigger. */
const COGNITO_TRIGGER_TIMEOUT_MS = 5000;

/** `/<poolId>/.well-known/jwks.json` and `.../openid-configuration`, as Cognito serves them per pool. */
const COGNITO_WELL_KNOWN = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

interface PersistedStack {
  stackName: string;
}

interface ExecuteApiTarget {
  apiId: string;
  stage: string;
  /** After `_user_request_`. */
  resourcePath: string;
}

/**
 * Which API and stage a request is for, if it is an execute-api request. Read from the path the signature covers:
 * SigV4 normalises the whole path (dot segments included), so the API, stage and resource must all come from that
 * form, or `..` could climb out of `_user_request_`.
 */
function executeApiTarget(rawPath: string): ExecuteApiTarget | undefined {
  const match = EXECUTE_API_PATH.exec(normalizedPath(rawPath));
  if (!match) return undefined;
  const [, apiId, stage, rest] = match as unknown as [string, string, string, string | undefined];
  return { apiId, stage, resourcePath: rest ?? '/' };
}

/**
 * The local cloud: one HTTP port that answers like API Gateway (execute-api), STS, DynamoDB and
 * CloudFormation, enforcing SigV4 and IAM policies the way AWS does.
 */
export class LocalCloud {
  public readonly clock = new Clock();
  public readonly identities = new IdentityStore();
  /**
   * Every request the gateway answered and every refusal of STS, DynamoDB, Cognito, CloudFormation and API
   * Gateway's API, each with its decision: `logs/access.jsonl` with a state folder, `GET /_local/requests`.
   */
  public readonly requests: RequestLog;
  /** The metrics API Gateway and Cognito publish (AWS/ApiGateway, AWS/Cognito), read with CloudWatch's API. */
  public readonly metrics: MetricStore;
  /** Injected faults (also `POST /_local/faults`, `DELETE /_local/faults`). */
  public readonly faults = new FaultInjector();
  /** Required (header `x-local-cloud-token`) by the mutating `/_local` endpoints; disk mode writes `admin-token`. */
  public readonly adminToken = new AdminToken();
  /** Per TCP connection: whether a function's process holds it (`connectionOwner`). */
  private readonly functionConnections = new WeakMap<object, boolean>();
  private server?: Server;
  private dynamodb?: DynamoDBService;
  private dynamodbApi!: DynamoDBApi;
  private lambda!: LambdaService;
  private gateway!: ApiGatewayService;
  private deployer!: Deployer;
  private sts!: StsService;
  private userPools!: UserPools;
  private cognito!: CognitoService;
  private cloudformation!: CloudFormationService;
  private cloudwatch!: CloudWatchApi;
  private apiGatewayManagement!: ApiGatewayManagement;
  private console!: LocalConsole;
  private authenticator!: Authenticator;
  /** The local corporate OIDC IdP at `/oidc`, starting in the background (undefined: none configured). */
  private idp?: Promise<CorporateIdp | undefined>;
  private readonly accountId: string;
  private readonly region: string;
  private readonly log: (line: string) => void;
  private codeDir = '';
  private baseUrl = '';
  private readonly limits: ServerLimits;
  private readonly inflight: InflightBytes;
  /** While a restart redeploys its stacks: deploys and removes wait (503) rather than run beside it. */
  private restoring = false;
  /**
   * SIGUSR1 opens node's inspector on any node process, and functions (separate processes of the same OS user)
   * could send it to the cloud and then read every session from its memory. A listener replaces that default.
   */
  private readonly refuseInspectorSignal = () =>
    this.log('SIGUSR1 ignored: the local cloud never opens its inspector on a signal');

  private constructor(private readonly options: LocalCloudOptions) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.region = options.region ?? DEFAULT_REGION;
    this.log = options.log ?? (() => undefined);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.inflight = new InflightBytes(this.limits.maxInflightBytes);
    this.metrics = new MetricStore(() => this.clock.nowMs(), this.log);
    this.requests = new RequestLog(
      options.stateDir ? { file: path.join(options.stateDir, 'logs', 'access.jsonl') } : {},
    );
  }

  /** The gateway's entries of the request log (the last 10,000 requests), oldest first. */
  public get accessLog(): AccessLogEntry[] {
    return this.requests.all().filter((entry): entry is AccessLogEntry => entry.service === 'execute-api');
  }

  public static async start(options: LocalCloudOptions): Promise<LocalCloud> {
    const cloud = new LocalCloud(options);
    await cloud.boot();
    return cloud;
  }

  public get url(): string {
    return this.baseUrl;
  }

  public get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /**
   * Writes `aws-credentials` and `aws-config` (region, endpoint_url) into `dir`, for the AWS CLI, the SDKs and
   * `signed-fetch --local`: profile `local` (the developer user) and, when seeded, `partner` (the user of another
   * account, for trying cross-account refusals). Returns the two paths.
   */
  public writeProfiles(dir: string): { configFile: string; credentialsFile: string } {
    const developer = this.identities.listUsers().find((user) => user.name === 'developer');
    const key = developer?.accessKeys[0];
    if (!key) throw new Error(`${this.options.identitiesFile} has no developer user with an access key`);
    mkdirSync(dir, { recursive: true });
    const credentialsFile = path.join(dir, 'aws-credentials');
    const configFile = path.join(dir, 'aws-config');
    const header = '# Written by the local cloud: valid only against it. Never use these keys on AWS.\n';
    const partner = this.identities.listUsers().find((user) => user.name === 'partner')?.accessKeys[0];
    const profiles = [{ name: 'local', key }, ...(partner ? [{ name: 'partner', key: partner }] : [])];
    writeFileSync(
      credentialsFile,
      header +
        profiles
          .map(
            (profile) =>
              `[${profile.name}]\naws_access_key_id = ${profile.key.accessKeyId}\naws_secret_access_key = ${profile.key.secretAccessKey}\n`,
          )
          .join(''),
      { mode: 0o600 },
    );
    writeFileSync(
      configFile,
      header +
        profiles
          .map(
            (profile) =>
              `[profile ${profile.name}]\nregion = ${this.region}\nendpoint_url = ${this.baseUrl}\n`,
          )
          .join(''),
    );
    return { configFile, credentialsFile };
  }

  public stacks(): Stack[] {
    return this.deployer.stacks();
  }

  /** The deployed API keys, values included (what `aws apigateway get-api-keys --include-values` lists). */
  public apiKeys(): Array<{ id: string; name: string; value: string; enabled: boolean }> {
    return this.gateway.usagePlans
      .keys()
      .map(({ id, name, value, enabled }) => ({ id, name, value, enabled }));
  }

  /** The seeded `developer` user as a caller: who deploys when no one signed the deploy. */
  private developer(): Caller {
    const key = this.identities.listUsers().find((user) => user.name === 'developer')?.accessKeys[0];
    const caller = key && this.identities.callerFor(key.accessKeyId);
    if (!caller)
      throw new DeploymentError(`${this.options.identitiesFile} has no developer user with an access key`);
    return caller;
  }

  /**
   * Deploys a packaged template; in disk mode also keeps a copy so a restart redeploys it. `deployer` is who
   * CloudFormation acts for (iam:PassRole is checked for it): by default the seeded `developer` user.
   */
  public async deploy(input: DeployInput, deployer: Caller = this.developer()): Promise<Stack> {
    const stack = await this.deployer.deploy(input, deployer);
    if (this.options.stateDir) this.persist(input, stack);
    return stack;
  }

  public async remove(stackName: string): Promise<void> {
    await this.deployer.remove(stackName);
    if (this.options.stateDir) {
      rmSync(path.join(this.options.stateDir, 'stacks', stackName), { recursive: true, force: true });
      this.writeStackOrder(this.readStackOrder().filter((name) => name !== stackName));
    }
  }

  /**
   * A link that opens the console (`/_local/console`) in a browser: it works once, for 5 minutes, and sets a
   * session cookie for this start of the local cloud.
   */
  public consoleUrl(): string {
    return `${this.baseUrl}${CONSOLE_PATH}?code=${this.console.sessions.newLink()}`;
  }

  public async stop(): Promise<void> {
    this.console?.close();
    this.userPools?.flush();
    this.gateway?.usagePlans.flush();
    await (await this.idp)?.stop();
    await this.lambda?.stop();
    const closed = new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server?.closeAllConnections(); // before waiting: close() alone waits for every keep-alive client
    await closed;
    this.requests?.flush();
    await this.dynamodb?.stop();
    if (!this.options.stateDir && this.codeDir) rmSync(this.codeDir, { recursive: true, force: true });
    process.off('SIGUSR1', this.refuseInspectorSignal);
  }

  private async boot(): Promise<void> {
    const { stateDir } = this.options;
    process.on('SIGUSR1', this.refuseInspectorSignal);
    seedIdentities(this.identities, this.options.identitiesFile);
    if (stateDir) {
      mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
      this.adminToken.writeTo(stateDir);
      this.codeDir = path.join(stateDir, 'functions');
    } else {
      this.codeDir = mkdtempSync(path.join(tmpdir(), 'local-cloud-'));
    }
    this.dynamodb = await DynamoDBService.start({
      dataDir: stateDir && path.join(stateDir, 'dynamodb'),
      defaultAccountId: this.accountId,
      region: this.region,
    });
    const authenticator = new Authenticator(this.identities, this.clock, this.region);
    this.authenticator = authenticator;
    this.sts = new StsService(this.identities, authenticator, this.clock, this.log);
    this.dynamodbApi = new DynamoDBApi(this.dynamodb, authenticator, this.clock, this.region, this.log);
    // Function temp folders live in the cloud's own folder, emptied now: a crash of an earlier run leaves none.
    const tmpRoot = path.join(stateDir ?? this.codeDir, stateDir ? 'lambda-tmp' : '.lambda-tmp');
    rmSync(tmpRoot, { recursive: true, force: true });
    mkdirSync(tmpRoot, { recursive: true });
    this.lambda = new LambdaService({
      tmpRoot,
      region: this.region,
      endpointUrl: () => this.baseUrl,
      now: () => this.clock.now(),
      credentialsFor: (config) => {
        const role = this.identities.role(config.roleArn);
        const { session } = this.sts.assumeRole(
          {
            principal: {
              arn: 'lambda.amazonaws.com',
              accountId: role?.accountId ?? this.accountId,
              type: 'Service',
            },
            identityPolicies: [],
          },
          { roleArn: config.roleArn, sessionName: config.name.slice(0, 64) },
        );
        return session;
      },
      log: (functionName, line) => this.log(`[${functionName}] ${line}`),
      faults: this.faults,
    });
    this.userPools = new UserPools(stateDir && path.join(stateDir, 'cognito'));
    this.cognito = new CognitoService(
      this.userPools,
      authenticator,
      this.clock,
      this.log,
      this.cognitoTrigger,
      this.metrics,
    );
    this.gateway = new ApiGatewayService({
      authenticator,
      lambda: this.lambda,
      clock: this.clock,
      accessLog: (entry) => this.recordAccess(entry),
      userPools: this.userPools,
      log: this.log,
      usagePlans: new UsagePlanStore(stateDir && path.join(stateDir, 'usage-plans', 'counters.json')),
    });
    this.apiGatewayManagement = new ApiGatewayManagement(
      this.gateway.usagePlans,
      authenticator,
      this.clock,
      this.region,
      this.accountId,
      this.log,
    );
    this.deployer = new Deployer({
      accountId: this.accountId,
      region: this.region,
      identities: this.identities,
      lambda: this.lambda,
      gateway: this.gateway,
      dynamodb: this.dynamodb,
      cognito: this.userPools,
      now: () => this.clock.now(),
      codeDir: this.codeDir,
      endpointUrl: () => this.baseUrl,
      log: this.log,
    });
    this.cloudwatch = new CloudWatchApi(this.metrics, authenticator, this.clock);
    this.cloudformation = new CloudFormationService(
      this.deployer,
      authenticator,
      this.region,
      this.accountId,
    );
    this.console = new LocalConsole(
      {
        accountId: this.accountId,
        region: this.region,
        now: () => this.clock.now(),
        stacks: () =>
          this.deployer.stacks().map(({ stackName, status }) => ({ stackName, status: String(status) })),
        apis: () => this.gateway.list(),
        authorizerAnswers: () => this.gateway.cachedAuthorizerAnswers(),
        usagePlans: (nowMs) => this.gateway.usagePlans.counters(nowMs),
        userPools: () => this.userPools.list(),
        metrics: this.metrics,
      },
      this.requests,
    );
    const { headersTimeoutMs, requestTimeoutMs, maxConnections } = this.limits;
    const server = createServer(
      {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        // How often node checks those two timeouts (default 30 s, which would let a slow client stay longer).
        connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
      },
      (request, response) => void this.serve(request, response),
    );
    server.keepAliveTimeout = 65_000;
    server.maxConnections = maxConnections;
    this.server = server;
    const port = this.options.port ?? Number(process.env.LOCAL_CLOUD_PORT ?? DEFAULT_PORT);
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.baseUrl = `http://${host}:${this.port}`;
    this.idp = this.startIdp();
    if (stateDir) {
      this.restoring = true;
      try {
        await this.restoreStacks();
      } finally {
        this.restoring = false;
      }
    }
  }

  /** Never rejects: a bad `corporateIdp` section or a failed start is logged, and `/oidc` answers 404. */
  private async startIdp(): Promise<CorporateIdp | undefined> {
    try {
      const config = readCorporateIdp(this.options.identitiesFile);
      if (!config) return undefined;
      return await CorporateIdp.start({
        issuer: `${this.baseUrl}${IDP_PATH}`,
        config,
        stateDir: this.options.stateDir,
        clock: this.clock,
        log: this.log,
      });
    } catch (error) {
      this.log(
        `The local IdP (${IDP_PATH}) did not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  /** The local IdP, once it is up (undefined: none configured, or it failed to start). */
  public async corporateIdp(): Promise<CorporateIdp | undefined> {
    return this.idp;
  }

  private async serve(message: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = message.url ?? '';
    if (url === IDP_PATH || url.startsWith(`${IDP_PATH}/`) || url.startsWith(`${IDP_PATH}?`)) {
      const idp = await this.idp;
      if (idp) return idp.proxy(message, response);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          message: `No local IdP: ${this.options.identitiesFile} has no corporateIdp section`,
        }),
      );
      return;
    }
    let reply: OutgoingResponse;
    let reserved = 0;
    let close = false;
    try {
      const head = requestHead(message, this.clock);
      const api = executeApiTarget(head.rawPath);
      const early = this.refuseBeforeBody(head, api);
      if (early) {
        // Answered from the headers alone: the body is never read, and the connection ends with the answer.
        close = true;
        reply = await early;
      } else {
        const read = await readBody(message, MAX_REQUEST_BYTES, this.inflight);
        reserved = read.reserved;
        reply = await this.dispatch({ ...head, body: read.body }, api);
      }
    } catch (error) {
      if (error instanceof BodyRefusedError) {
        close = true;
        reply =
          error.reason === 'too-large'
            ? payloadTooLarge()
            : jsonReply(503, {
                message: `The local cloud holds ${this.limits.maxInflightBytes} bytes of request bodies already: retry shortly`,
              });
      } else if (message.aborted || message.socket.destroyed) {
        // The client went away mid-request: nobody to answer, and nothing went wrong here.
        return;
      } else {
        this.log(
          `Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        reply = jsonReply(500, { message: 'Internal server error' });
      }
    } finally {
      // Once the answer is built (or nobody is left to answer), the body's bytes are free again.
      this.inflight.release(reserved);
    }
    if (close) reply.headers.connection = 'close';
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  }

  /**
   * What can be refused before a byte of the body is buffered: a declared body over the limit, and a request
   * for an API, stage, resource or method that does not exist (answered as API Gateway does, and logged).
   */
  private refuseBeforeBody(
    head: IncomingRequest,
    api: ExecuteApiTarget | undefined,
  ): Promise<OutgoingResponse> | undefined {
    const declared = head.headers['content-length'];
    if (declared !== undefined && Number(declared) > MAX_REQUEST_BYTES)
      return Promise.resolve(payloadTooLarge());
    if (!api || this.gateway.isRouted(api.apiId, api.stage, api.resourcePath, head.method)) return undefined;
    return this.gateway.handle(head, api.apiId, api.stage, api.resourcePath);
  }

  private async dispatch(
    request: IncomingRequest,
    api: ExecuteApiTarget | undefined,
  ): Promise<OutgoingResponse> {
    if (request.rawPath.startsWith('/_local/')) return this.admin(request);
    if (api) return this.gateway.handle(request, api.apiId, api.stage, api.resourcePath);
    const target = request.headers['x-amz-target'] ?? '';
    // Cognito's public operations are unsigned, so the target (not a credential scope) names the service.
    if (target.startsWith(COGNITO_TARGET_PREFIX))
      return this.recordRefusal('cognito-idp', request, await this.cognito.handle(request));
    if (request.rawPath === OAUTH2_TOKEN_PATH)
      return oauth2Token(this.userPools, request, Math.floor(this.clock.now().getTime() / 1000), this.log);
    const wellKnown = request.method === 'GET' ? COGNITO_WELL_KNOWN.exec(request.rawPath) : null;
    if (wellKnown) {
      const pool = this.userPools.get(wellKnown[1] as string);
      if (!pool) return jsonReply(404, { message: `User pool ${wellKnown[1]} does not exist.` });
      return jsonReply(
        200,
        wellKnown[2] === 'jwks.json'
          ? jwksOf(pool)
          : openIdConfiguration(pool, `${this.baseUrl}${OAUTH2_TOKEN_PATH}`),
      );
    }
    const scope = readCredentialScope({
      method: request.method,
      path: request.rawPath,
      query: request.rawQuery,
      headers: request.headerPairs,
      body: request.body,
    });
    // Unsigned: the target still names the JSON services, so they answer with their own "missing token".
    const service =
      scope?.service ??
      (target.startsWith('DynamoDB_')
        ? 'dynamodb'
        : CloudWatchApi.handles(request)
          ? 'monitoring'
          : undefined);
    switch (service) {
      case 'sts':
        return this.recordRefusal('sts', request, await this.sts.handle(request));
      case 'cloudformation':
        return this.recordRefusal('cloudformation', request, await this.cloudformation.handle(request));
      case 'monitoring':
        if (CloudWatchApi.handles(request))
          return this.recordRefusal('cloudwatch', request, await this.cloudwatch.handle(request));
        return jsonReply(400, {
          message:
            "The local cloud answers CloudWatch's GetMetricStatistics, GetMetricData and ListMetrics in AWS JSON 1.0 or Smithy RPC v2 CBOR",
        });
      case 'dynamodb':
        return this.recordRefusal('dynamodb', request, await this.dynamodbApi.handle(request, target));
      case 'apigateway':
        if (ApiGatewayManagement.handles(request.rawPath))
          return this.recordRefusal('apigateway', request, await this.apiGatewayManagement.handle(request));
        return jsonReply(404, {
          message: `The local cloud emulates API Gateway's API keys and usage plans (/apikeys, /usageplans), not ${request.method} ${request.rawPath}`,
        });
      default:
        return jsonReply(400, {
          message:
            'The local cloud could not tell which service this request is for: sign it with SigV4 (the credential scope names the service: sts, dynamodb, cloudformation, apigateway, cognito-idp), send X-Amz-Target: AWSCognitoIdentityProviderService.<Op>, or call /restapis/{apiId}/{stage}/_user_request_/...',
        });
    }
  }

  /**
   * Whose process holds the request's connection: a function's, a local tool's, or unknown. The kernel is asked
   * once per TCP connection (a connection never changes hands: function processes start no children), so a page
   * that polls over keep-alive does not make the cloud read /proc/net/tcp, thousands of lines on a busy machine,
   * for every request.
   */
  private connectionOwner(request: IncomingRequest): 'function' | 'tool' | 'unknown' {
    if (request.sourcePort === undefined) return 'unknown';
    const { connection } = request;
    const known = connection ? this.functionConnections.get(connection) : undefined;
    if (known !== undefined) return known ? 'function' : 'tool';
    const owned = connectionOwnedBy(request.sourcePort, this.port, this.lambda.environmentPids());
    // Only clear answers are kept: one that could not be told is asked again on the connection's next request.
    if (connection && owned !== undefined) this.functionConnections.set(connection, owned);
    return owned === undefined ? 'unknown' : owned ? 'function' : 'tool';
  }

  /** The local cloud's own endpoints (loopback only): health, deploy, remove. */
  private async admin(request: IncomingRequest): Promise<OutgoingResponse> {
    const route = `${request.method} ${request.rawPath}`;
    // Local tools only: no web page (a browser sends Origin, a rebound DNS name a foreign Host, and a form post
    // cannot send application/json without a preflight), no function (below), and the token for changes.
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const isConsole = request.rawPath === CONSOLE_PATH || request.rawPath.startsWith(`${CONSOLE_PATH}/`);
    // A browser's same-origin fetch sends no Origin, but it sends Sec-Fetch-Site (every current browser). The
    // console is the one page: it checks those itself (same origin only) and needs its own session.
    if (
      (!isConsole &&
        (request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined)) ||
      !['127.0.0.1', 'localhost', '[::1]'].includes(host)
    )
      return jsonReply(403, {
        message: 'The /_local endpoints answer local tools only (no Origin, a loopback Host)',
      });
    if (request.method === 'POST' && !(request.headers['content-type'] ?? '').startsWith('application/json'))
      return jsonReply(415, {
        message: 'POST /_local/... takes a JSON body with content-type: application/json',
      });
    // A function reaches the cloud over loopback like any local tool, so ask the kernel whose connection this is
    // (Linux /proc; elsewhere the token is the only guard, and functions never get it). On Linux an answer that
    // cannot be told is refused: fail closed.
    const owner = this.connectionOwner(request);
    if (owner === 'function')
      return jsonReply(403, { message: 'Functions may not call the local cloud’s own /_local endpoints' });
    if (owner === 'unknown' && process.platform === 'linux')
      return jsonReply(403, {
        message:
          'The local cloud could not tell from /proc whether this connection is a function’s, so it refuses it: retry, or check that /proc/net/tcp is readable',
      });
    if (isConsole) return this.console.handle(request);
    // The request log names every caller, path and policy statement: read with the token too (off Linux, where
    // functions cannot be told from local tools, the token is what keeps them out).
    const needsToken =
      (request.method !== 'GET' && request.method !== 'HEAD') || request.rawPath === '/_local/requests';
    if (needsToken && !this.adminToken.matches(request.headers[ADMIN_TOKEN_HEADER]))
      return jsonReply(403, {
        message: `${route} needs the ${ADMIN_TOKEN_HEADER} header: the token of this start of the local cloud, in ${
          this.options.stateDir
            ? path.join(this.options.stateDir, ADMIN_TOKEN_FILE)
            : 'LocalCloud.adminToken (in-memory mode)'
        }`,
      });
    if (route === 'GET /_local/health') {
      return jsonReply(200, {
        status: 'ok',
        accountId: this.accountId,
        region: this.region,
        endpoint: this.baseUrl,
        persistence: this.options.stateDir ? 'disk' : 'memory',
        // Where its admin-token and profiles are, for the CLI's deploy and remove (the same user's files only).
        stateDir: this.options.stateDir ? path.resolve(this.options.stateDir) : null,
        stacks: this.deployer
          .stacks()
          .map((stack) => ({ stackName: stack.stackName, status: stack.status, outputs: stack.outputs })),
      });
    }
    if (route === 'GET /_local/requests') {
      // Why was I denied? The request log, filtered: ?status=403|4xx&service=&apiId=&principal=&check=&since=&limit=
      const filter = parseRequestFilter(request.rawQuery);
      if ('error' in filter) return jsonReply(400, { message: filter.error });
      return jsonReply(200, { requests: this.requests.query(filter) });
    }
    if (route === 'POST /_local/faults') {
      try {
        const fault = this.faults.add(JSON.parse(request.body.toString('utf8') || 'null'));
        this.log(`fault ${fault.id} injected: ${fault.mode} on ${fault.target}`);
        return jsonReply(201, { fault });
      } catch (error) {
        if (error instanceof FaultInputError || error instanceof SyntaxError)
          return jsonReply(400, {
            message: error instanceof SyntaxError ? 'Body must be JSON' : error.message,
          });
        throw error;
      }
    }
    // A one-time sign-in link to the console (`local-cloud console`): the admin token never goes into a URL.
    if (route === 'POST /_local/console-link') return jsonReply(201, { url: this.consoleUrl() });
    if (route === 'GET /_local/faults') return jsonReply(200, { faults: this.faults.list() });
    if (route === 'DELETE /_local/faults') return jsonReply(200, { cleared: this.faults.clear() });
    if (this.restoring && (route === 'POST /_local/deploy' || route.startsWith('DELETE /_local/stacks/')))
      return jsonReply(503, { message: 'The local cloud is still restoring its stacks: retry in a moment' });
    if (route === 'POST /_local/deploy') return this.deployRequest(request);
    const removeMatch = /^DELETE \/_local\/stacks\/([\w-]+)$/.exec(route);
    if (removeMatch) {
      try {
        await this.remove(removeMatch[1] as string);
        return jsonReply(200, { removed: removeMatch[1] });
      } catch (error) {
        if (error instanceof DeploymentError) return jsonReply(400, { message: error.message });
        throw error;
      }
    }
    return jsonReply(404, { message: `No local-cloud endpoint ${route}` });
  }

  /**
   * `POST /_local/deploy {stackName, templateFile, artifactsDir}`. Signed with SigV4 (scope `cloudformation`),
   * the deploy acts for the signer (iam:PassRole is checked for it); unsigned, for the developer user.
   * Errors name the files, never their contents.
   */
  private async deployRequest(request: IncomingRequest): Promise<OutgoingResponse> {
    let input: { stackName?: unknown; templateFile?: unknown; artifactsDir?: unknown };
    try {
      input = JSON.parse(request.body.toString('utf8')) as typeof input;
    } catch {
      input = {};
    }
    const { stackName, templateFile, artifactsDir } = input ?? {};
    if (typeof stackName !== 'string' || typeof templateFile !== 'string' || typeof artifactsDir !== 'string')
      return jsonReply(400, {
        message: 'Body must be JSON {"stackName", "templateFile", "artifactsDir"}, all strings',
      });
    let deployer: Caller | undefined;
    // Any signature material (header or presigned query) makes it the signer's deploy, verified as such.
    const signed = readCredentialScope({
      method: request.method,
      path: request.rawPath,
      query: request.rawQuery,
      headers: request.headerPairs,
      body: request.body,
    });
    if (signed !== undefined || request.headers.authorization !== undefined) {
      const authentication = this.authenticator.authenticate(request, 'cloudformation');
      if (!authentication.ok) return jsonReply(403, { message: authentication.error.message.split('\n')[0] });
      deployer = authentication.caller;
    }
    const isFile = (file: string) => statSync(file, { throwIfNoEntry: false })?.isFile() === true;
    const isDirectory = (dir: string) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
    if (!templateFile.endsWith('.json') || !isFile(templateFile))
      return jsonReply(400, { message: `templateFile ${templateFile} is not a .json file` });
    if (!isDirectory(artifactsDir))
      return jsonReply(400, { message: `artifactsDir ${artifactsDir} is not a directory` });
    let template: CloudFormationTemplate;
    try {
      template = JSON.parse(readFileSync(templateFile, 'utf8')) as CloudFormationTemplate;
    } catch {
      return jsonReply(400, { message: `templateFile ${templateFile} is not valid JSON` });
    }
    try {
      return jsonReply(200, await this.deploy({ stackName, template, artifactsDir }, deployer));
    } catch (error) {
      if (error instanceof DeploymentError) return jsonReply(400, { message: error.message });
      throw error;
    }
  }

  /**
   * Runs a Cognito trigger as Cognito does: only if the function's resource policy lets cognito-idp.amazonaws.com
   * invoke it for this pool (the `AWS::Lambda::Permission` AWS needs too), in the function's own environment.
   */
  private readonly cognitoTrigger: TriggerInvoker = async (functionArn, sourceArn, event) => {
    const name = /:function:([\w-]+)$/.exec(functionArn)?.[1];
    const trigger = (event as { triggerSource?: string }).triggerSource ?? 'trigger';
    if (!name || !this.lambda.get(name)) {
      this.log(`cognito ${trigger}: function ${functionArn} does not exist`);
      return { ok: false, reason: 'not-permitted', message: `function ${functionArn} does not exist` };
    }
    if (!this.lambda.isInvocationAllowed(name, 'cognito-idp.amazonaws.com', sourceArn, this.accountId)) {
      this.log(
        `cognito ${trigger}: ${name} was not called: no AWS::Lambda::Permission lets cognito-idp.amazonaws.com invoke it for ${sourceArn}`,
      );
      return {
        ok: false,
        reason: 'not-permitted',
        message: `Cognito is not allowed to invoke ${functionArn}`,
      };
    }
    // Cognito waits 5 seconds for a trigger (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html).
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.lambda.invoke(name, event),
      new Promise<{ kind: 'timeout'; durationMs: number }>((resolve) => {
        timer = setTimeout(
          () => resolve({ kind: 'timeout', durationMs: COGNITO_TRIGGER_TIMEOUT_MS }),
          COGNITO_TRIGGER_TIMEOUT_MS,
        );
      }),
    ]);
    clearTimeout(timer);
    this.log(`cognito ${trigger}: ${name} ${outcome.kind} in ${outcome.durationMs.toFixed(1)} ms`);
    if (outcome.kind === 'result') return { ok: true, result: outcome.payload };
    if (outcome.kind === 'error') return { ok: false, reason: 'error', message: outcome.errorMessage };
    return {
      ok: false,
      reason: 'timeout',
      message: `${name} did not answer within ${COGNITO_TRIGGER_TIMEOUT_MS / 1000} s`,
    };
  };

  /**
   * A refusal of one of the other services goes to the request log with the service's explanation; one it did not
   * explain (a validation error, say) with its error code, so no refusal leaves no trace.
   */
  private recordRefusal(
    service: ServiceName,
    request: IncomingRequest,
    response: OutgoingResponse,
  ): OutgoingResponse {
    if (response.status < 400) return response;
    const { code, message } = errorOf(response);
    const explanation = response.explanation ?? {
      action: `${service}:${actionOf(request)}`,
      resource: null,
      principal: null,
      decision: refusedBy(
        isSigV4WireCode(code) ? 'sigv4' : /AccessDenied/.test(code) ? 'iam' : 'validation',
        message ? `${code}: ${message}` : code,
      ),
    };
    this.requests.record({
      time: request.receivedAt.toISOString(),
      requestId: request.requestId,
      service,
      action: explanation.action,
      resource: explanation.resource,
      status: response.status,
      principal: explanation.principal,
      authError: message ? `${code}: ${message}` : code,
      decision: explanation.decision,
      sourceIp: request.sourceIp,
    });
    return response;
  }

  /**
   * API Gateway's metrics of one request (AWS/ApiGateway, one-minute data): Count, 4XXError and 5XXError (1 or 0,
   * so Average is the rate), Latency and IntegrationLatency in ms, under ApiName; ApiName, Stage; and ApiName,
   * Method, Resource, Stage. AWS publishes the last set only with detailed metrics enabled on the stage
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html); here
   * it is always there. A request for an API or stage that does not exist publishes nothing (no API stage to count it
   * for); one for a resource that does not exist, only the first two sets.
   */
  private recordGatewayMetrics(entry: AccessLogEntry): void {
    const owner = this.gateway.metricsOwnerOf(entry.apiId, entry.stage);
    if (owner === undefined) return;
    const apiName = owner.name;
    const sets: Dimension[][] = [
      [{ Name: 'ApiName', Value: apiName }],
      [
        { Name: 'ApiName', Value: apiName },
        { Name: 'Stage', Value: entry.stage },
      ],
    ];
    if (entry.resourcePath !== null)
      sets.push([
        { Name: 'ApiName', Value: apiName },
        { Name: 'Method', Value: entry.httpMethod },
        { Name: 'Resource', Value: entry.resourcePath },
        { Name: 'Stage', Value: entry.stage },
      ]);
    const at = new Date(entry.time);
    const put = (name: string, value: number, unit: string) =>
      this.metrics.put(owner.accountId, 'AWS/ApiGateway', name, sets, value, unit, at);
    put('Count', 1, 'Count');
    put('4XXError', entry.status >= 400 && entry.status < 500 ? 1 : 0, 'Count');
    put('5XXError', entry.status >= 500 ? 1 : 0, 'Count');
    put('Latency', entry.latencyMs, 'Milliseconds');
    if (entry.integrationLatencyMs !== null)
      put('IntegrationLatency', entry.integrationLatencyMs, 'Milliseconds');
  }

  private recordAccess(entry: AccessLogEntry): void {
    this.requests.record(entry);
    this.recordGatewayMetrics(entry);
    this.log(
      `${entry.status} ${entry.httpMethod} ${entry.path} api=${entry.apiId}/${entry.stage} principal=${entry.principal ?? '-'} ${entry.latencyMs}ms${entry.authError ? ` auth="${entry.authError}"` : ''}${entry.decision?.check === 'routing' ? ` (${entry.decision.detail})` : ''}`,
    );
  }

  private persist(input: DeployInput, stack: Stack): void {
    const dir = path.join(this.options.stateDir as string, 'stacks', input.stackName);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
    writeFileSync(path.join(dir, 'template.json'), JSON.stringify(input.template));
    for (const resource of Object.values(input.template.Resources)) {
      const key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
      if (resource.Type !== 'AWS::Lambda::Function' || typeof key !== 'string') continue;
      copyFileSync(
        path.join(input.artifactsDir, path.basename(key)),
        path.join(dir, 'artifacts', path.basename(key)),
      );
    }
    // A redeployed stack keeps its place: stacks that import its exports were deployed after it, and must be restored
    // after it too.
    const order = this.readStackOrder();
    if (!order.includes(stack.stackName)) this.writeStackOrder([...order, stack.stackName]);
  }

  private readStackOrder(): string[] {
    const file = path.join(this.options.stateDir as string, 'stacks', 'order.json');
    if (!existsSync(file)) return [];
    return (JSON.parse(readFileSync(file, 'utf8')) as PersistedStack[]).map((entry) => entry.stackName);
  }

  private writeStackOrder(names: string[]): void {
    const dir = path.join(this.options.stateDir as string, 'stacks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'order.json'), JSON.stringify(names.map((stackName) => ({ stackName }))));
  }

  /**
   * Disk mode: redeploy what was deployed before the restart, in the original order (exports first), in passes: a
   * stack that fails (an import whose exporter comes later in the list) is tried again after the others, until a
   * pass restores nothing more. Only then is a failure reported.
   */
  private async restoreStacks(): Promise<void> {
    let pending = this.readStackOrder();
    while (pending.length > 0) {
      const failed: Array<{ stackName: string; error: unknown }> = [];
      for (const stackName of pending) {
        const dir = path.join(this.options.stateDir as string, 'stacks', stackName);
        try {
          const template = JSON.parse(
            readFileSync(path.join(dir, 'template.json'), 'utf8'),
          ) as CloudFormationTemplate;
          await this.deployer.deploy(
            { stackName, template, artifactsDir: path.join(dir, 'artifacts') },
            this.developer(),
          );
          this.log(`restored stack ${stackName}`);
        } catch (error) {
          failed.push({ stackName, error });
        }
      }
      if (failed.length === pending.length) {
        for (const { stackName, error } of failed)
          this.log(
            `could not restore stack ${stackName}: ${error instanceof Error ? error.message : String(error)}`,
          );
        return;
      }
      pending = failed.map((entry) => entry.stackName);
    }
  }
}
