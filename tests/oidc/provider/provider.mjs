// A real OpenID Connect provider for the single sign-on tests: the certified `oidc-provider` package, on
// loopback, with one confidential test client and static test accounts. Started by tests/oidc/conftest.py:
//
//   REDIRECT_URIS=<comma-separated> POST_LOGOUT_REDIRECT_URIS=<comma-separated> node provider.mjs
//
// It listens on a free loopback port and prints one JSON line, {"issuer": "http://127.0.0.1:<port>"}, once it
// answers. Its own login page (the "interaction") takes a username and the password `test-password`. The
// accounts:
//   kari   known to the app, logs in with a password and a second factor: amr ["pwd", "mfa"], acr "urn:test:mfa"
//   ola    known to the app, password only: amr ["pwd"], acr "urn:test:pwd"
//   ukjent a person the app has never heard of
//   ulla   known by e-mail, but the provider does not vouch for her address (email_verified false)
import http from 'node:http';
import { URLSearchParams } from 'node:url';

import Provider from 'oidc-provider';

const PASSWORD = 'test-password';
const ACCOUNTS = {
  kari: { email: 'kari@example.org', email_verified: true, name: 'Kari Nordmann', mfa: true },
  ola: { email: 'ola@example.org', email_verified: true, name: 'Ola Nordmann', mfa: false },
  ukjent: { email: 'ukjent@example.org', email_verified: true, name: 'Ukjent Person', mfa: false },
  ulla: { email: 'ulla@example.org', email_verified: false, name: 'Ulla Uverifisert', mfa: false },
};

const list = (name) => (process.env[name] || '').split(',').map((s) => s.trim()).filter(Boolean);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'krisestotte',
      client_secret: 'test-client-secret-that-is-long-enough',
      redirect_uris: list('REDIRECT_URIS'),
      post_logout_redirect_uris: list('POST_LOGOUT_REDIRECT_URIS'),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    // acr, amr and auth_time with the openid scope, so every ID token carries them (as Entra ID's and Feide's do).
    claims: { acr: null, amr: null, auth_time: null, sid: null, iss: null, openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
    acrValues: ['urn:test:pwd', 'urn:test:mfa'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test provider: log out</title></head>
            <body><h1>Log out of the test provider?</h1>${form}
            <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, log me out</button></body></html>`;
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Logged out</title></head><body><h1>Logged out of the test provider</h1></body></html>';
        },
      },
    },
    async findAccount(ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: account.email, email_verified: account.email_verified, name: account.name };
        },
      };
    },
    // A first-party client: no consent page, the test client is granted what it asks for.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // The test client's tokens are what the tests read; short lifetimes are not under test.
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  provider.proxy = false;

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'POST' && match[2]) {
        const body = await new Promise((resolve) => {
          let data = '';
          req.on('data', (chunk) => { data += chunk; });
          req.on('end', () => resolve(new URLSearchParams(data)));
        });
        const login = body.get('login');
        const account = ACCOUNTS[login];
        if (!account || body.get('password') !== PASSWORD) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid, 'Wrong username or password.'));
          return;
        }
        await provider.interactionFinished(req, res, {
          login: {
            accountId: login,
            amr: account.mfa ? ['pwd', 'mfa'] : ['pwd'],
            acr: account.mfa ? 'urn:test:mfa' : 'urn:test:pwd',
          },
        }, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, ''));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${error.message}`);
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

function loginPage(uid, error) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test provider: log in</title></head>
  <body><h1>Test provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/interaction/${escape(uid)}/login">
    <label for="login">Username</label> <input id="login" name="login" autocomplete="username">
    <label for="password">Password</label> <input id="password" name="password" type="password">
    <button type="submit">Sign in</button>
  </form></body></html>`;
}

process.on('SIGTERM', () => server.close(() => process.exit(0)));
