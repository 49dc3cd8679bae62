// The local corporate IdP: the certified `oidc-provider` package (https://github.com/panva/node-oidc-provider),
// run in a worker thread because it is an ES module (the local cloud also runs inside jest's CommonJS loader).
// The local cloud proxies `/oidc/*` on its one port to this worker's loopback server. Plain JavaScript on purpose:
// node loads it natively in every context (tsx, jest, a packaged install).
import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import Provider from 'oidc-provider';

const { issuer, audience, resourceScope, clients, staff, signingKey, accessTokenTtlSeconds } = workerData;

// The IdP reads the local cloud's clock (tests move it), like every other part of the cloud: its offset, in
// shared memory the cloud writes. oidc-provider takes every time from Date.now (its epochTime helper).
const realNow = Date.now;
const { clockOffset } = workerData;
Date.now = () => realNow() + Number(Atomics.load(clockOffset, 0));

/** Passwords are kept only as scrypt hashes (N=2^14), compared in constant time. */
const hash = (password, salt) => scryptSync(password, salt, 32);
const accounts = new Map();
for (const member of staff) {
  const salt = randomBytes(16);
  accounts.set(member.name, {
    name: member.name,
    email: member.email,
    groups: member.groups,
    salt,
    hash: hash(member.password, salt),
  });
}
const decoy = { salt: randomBytes(16), hash: randomBytes(32) };

/** The account for a name or email and password; the same work for unknown names (no user enumeration by timing). */
function checkPassword(login, password) {
  const account = [...accounts.values()].find(
    (candidate) => candidate.name === login || candidate.email === login,
  );
  const target = account ?? decoy;
  const matches = timingSafeEqual(hash(String(password), target.salt), target.hash);
  return account && matches ? account : undefined;
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  pkce: { required: () => true },
  ttl: {
    AccessToken: accessTokenTtlSeconds,
    ClientCredentials: accessTokenTtlSeconds,
    AuthorizationCode: 60,
    IdToken: accessTokenTtlSeconds,
    Interaction: 600,
    Session: 8 * 3600,
    Grant: 8 * 3600,
    RefreshToken: 8 * 3600,
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // JWT access tokens for one API (RFC 9068 via RFC 8707 resource indicators), signed RS256.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== audience) throw new Error(`unknown resource ${resource}`);
        return {
          scope: resourceScope,
          audience,
          accessTokenTTL: accessTokenTtlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  async findAccount(_ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        name: account.name,
        email: account.email,
        email_verified: true,
        groups: account.groups,
      }),
    };
  },
  // Staff access tokens carry email and groups (Okta's "groups" claim); client_credentials tokens do not.
  async extraTokenClaims(_ctx, token) {
    const account = token.accountId ? accounts.get(token.accountId) : undefined;
    return account ? { email: account.email, groups: account.groups } : undefined;
  },
  interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page(
      'Sign-in error',
      `<p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`,
    );
  },
});
provider.on('server_error', (_ctx, error) =>
  parentPort.postMessage({ log: `oidc server_error: ${error.message}` }),
);

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.4rem}button{padding:.5rem}.error{color:#b00020}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function loginForm(uid, clientId, error) {
  return page(
    'Local corporate IdP',
    `<p>Sign in to <b>${escapeHtml(clientId)}</b> (local staff from infra/local/identities.json).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oidc/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>User name or email <input name="login" required autofocus></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>`,
  );
}

const SECURITY_HEADERS = {
  // No form-action: browsers apply it to the redirects after the post too, and the last one goes to the client.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The login page and its form: the only interaction (consent is implied for first-party clients). */
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const send = (status, html) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
    res.end(html);
  };
  if (action === undefined && req.method === 'GET') {
    if (details.prompt.name === 'login') return send(200, loginForm(uid, details.params.client_id));
    // Consent: implied for the company's own (first-party) clients, as a corporate IdP configures its apps.
    return grantConsent(req, res, details);
  }
  if (action === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const account = checkPassword(form.get('login') ?? '', form.get('password') ?? '');
    if (!account) {
      // The name only when it is a staff member's: an unknown one may be a password typed into the wrong field.
      const login = form.get('login') ?? '';
      const known = [...accounts.values()].some(
        (candidate) => candidate.name === login || candidate.email === login,
      );
      parentPort.postMessage({
        log: `oidc: sign-in refused for ${known ? JSON.stringify(login) : 'an unknown user name'}`,
      });
      return send(401, loginForm(uid, details.params.client_id, 'Wrong user name or password.'));
    }
    parentPort.postMessage({
      log: `oidc: ${account.name} signed in (groups: ${account.groups.join(',') || 'none'})`,
    });
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.name } },
      { mergeWithLastSubmission: false },
    );
  }
  send(405, page('Not allowed', '<p>Method not allowed.</p>'));
}

/** Grants what the consent prompt says is missing (oidc-provider's documented consent interaction). */
async function grantConsent(req, res, details) {
  const { prompt, params, session } = details;
  const grant = prompt.details.grantId
    ? await provider.Grant.find(prompt.details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  const result = prompt.details.grantId ? {} : { consent: { grantId } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = createServer((req, res) => {
  // Mounted at the issuer's path: oidc-provider routes on the rest, as when mounted under express.
  const url = req.url ?? '/';
  req.originalUrl = url;
  req.url = url.slice('/oidc'.length) || '/';
  const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(req.url.split('?')[0]);
  if (match) {
    interaction(req, res, match[1], match[2]).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
        res.end(page('Sign-in failed', `<p>${escapeHtml(error.message)}. Start the sign-in again.</p>`));
      }
    });
    return;
  }
  callback(req, res);
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
