import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

const PASSWORD = 'correct horse battery';
const ADMIN = `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Session {
  cookie: string;
  csrfToken: string;
  setCookie: string;
  body: { user: Record<string, unknown>; csrfToken: string };
}

describe('console sign-in: users, sessions, CSRF, roles', () => {
  let stack: TestStack;
  let tenant: { tenantId: string; apiKey: string };
  let other: { tenantId: string; apiKey: string };
  let n = 0;

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await createTenant(stack, 'Konsol A.Ş.');
    other = await createTenant(stack, 'Other tenant');
  });
  afterAll(async () => stack?.close());

  const api = () => request(stack.apiUrl);

  async function createUser(
    role: string,
    tenantId = tenant.tenantId,
  ): Promise<{ id: string; email: string }> {
    const email = `user${++n}-${Date.now()}@example.com`;
    const created = await api()
      .post(`/v1/admin/tenants/${tenantId}/users`)
      .set('authorization', ADMIN)
      .send({ email, password: PASSWORD, role })
      .expect(201);
    return created.body as { id: string; email: string };
  }

  async function login(email: string, password = PASSWORD): Promise<Session> {
    const response = await api().post('/v1/auth/login').send({ email, password }).expect(200);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0] ?? '';
    return {
      cookie: setCookie.split(';')[0] ?? '',
      csrfToken: response.body.csrfToken as string,
      setCookie,
      body: response.body as Session['body'],
    };
  }

  async function signedIn(role: string): Promise<Session> {
    return login((await createUser(role)).email);
  }

  it('the operator creates a tenant’s first user; the hash never leaves the API', async () => {
    const email = `First.Admin-${Date.now()}@Example.com`;
    const created = await api()
      .post(`/v1/admin/tenants/${tenant.tenantId}/users`)
      .set('authorization', ADMIN)
      .send({ email, password: PASSWORD, role: 'admin' })
      .expect(201);
    expect(created.body).toMatchObject({
      email,
      role: 'admin',
      tenantId: tenant.tenantId,
      tenantName: 'Konsol A.Ş.',
    });
    expect(JSON.stringify(created.body)).not.toMatch(/argon|hash|password/i);
    const row = await stack.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    // The same address in another case is the same account.
    const taken = await api()
      .post(`/v1/admin/tenants/${other.tenantId}/users`)
      .set('authorization', ADMIN)
      .send({ email: email.toUpperCase(), password: PASSWORD, role: 'viewer' })
      .expect(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    const unknown = await api()
      .post(`/v1/admin/tenants/${UNKNOWN_ID}/users`)
      .set('authorization', ADMIN)
      .send({ email: 'x@example.com', password: PASSWORD, role: 'viewer' })
      .expect(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    const weak = await api()
      .post(`/v1/admin/tenants/${tenant.tenantId}/users`)
      .set('authorization', ADMIN)
      .send({ email: 'weak@example.com', password: 'short', role: 'owner' })
      .expect(400);
    expect(weak.body.code).toBe('VALIDATION_FAILED');
    await api()
      .post(`/v1/admin/tenants/${tenant.tenantId}/users`)
      .set('authorization', `Bearer ${tenant.apiKey}`)
      .send({ email: 'k@example.com', password: PASSWORD, role: 'admin' })
      .expect(401);
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and answers the session', async () => {
    const user = await createUser('manager');
    const session = await login(user.email.toUpperCase());
    expect(session.body).toEqual({
      user: {
        id: user.id,
        email: user.email,
        role: 'manager',
        tenantId: tenant.tenantId,
        tenantName: 'Konsol A.Ş.',
      },
      csrfToken: expect.any(String),
    });
    expect(session.setCookie).toMatch(/^outdial_session=[\w-]{40,};/);
    expect(session.setCookie).toMatch(/; HttpOnly/);
    expect(session.setCookie).toMatch(/; SameSite=Strict/);
    expect(session.setCookie).toMatch(/; Path=\//);
    expect(session.setCookie).not.toMatch(/; Secure/);
    // The cookie's token is not what is stored.
    const token = session.cookie.split('=')[1] ?? '';
    const stored = await stack.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const again = await api().get('/v1/auth/session').set('cookie', session.cookie).expect(200);
    expect(again.body).toEqual(session.body);
    const none = await api().get('/v1/auth/session').expect(401);
    expect(none.body.code).toBe('UNAUTHORIZED');
  });

  it('answers a wrong email and a wrong password the same way', async () => {
    const user = await createUser('manager');
    const wrongPassword = await api()
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'not the password' })
      .expect(401);
    const wrongEmail = await api()
      .post('/v1/auth/login')
      .send({ email: `nobody-${Date.now()}@example.com`, password: PASSWORD })
      .expect(401);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrongEmail.body).toEqual(wrongPassword.body);
  });

  it('sends the cookie Secure when the API is public over https', async () => {
    const app = await createApiApp(
      {
        config: { ...stack.config, PUBLIC_BASE_URL: 'https://console.example.com' },
        db: stack.appDb,
        systemDb: stack.systemDb,
        temporal: stack.client,
      },
      { logger: false },
    );
    await app.init();
    try {
      const user = await createUser('viewer');
      const response = await request(app.getHttpServer())
        .post('/v1/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await app.close();
    }
  });

  it('refuses a cookie request that changes state without the session’s CSRF token', async () => {
    const session = await signedIn('manager');
    const missing = await api()
      .post('/v1/dnc')
      .set('cookie', session.cookie)
      .send({ phone: '+905321234501' })
      .expect(403);
    expect(missing.body.code).toBe('CSRF_TOKEN_INVALID');
    const other = await signedIn('manager');
    const wrong = await api()
      .post('/v1/dnc')
      .set('cookie', session.cookie)
      .set('x-csrf-token', other.csrfToken)
      .send({ phone: '+905321234501' })
      .expect(403);
    expect(wrong.body.code).toBe('CSRF_TOKEN_INVALID');
    const list = await api().get('/v1/dnc').set('cookie', session.cookie).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('905321234501');

    await api()
      .post('/v1/dnc')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .send({ phone: '+905321234501' })
      .expect(200);
    const after = await api().get('/v1/dnc').set('cookie', session.cookie).expect(200);
    expect(JSON.stringify(after.body)).toContain('905321234501');
  });

  it('refuses a viewer every state-changing tenant endpoint the API documents', async () => {
    const viewer = await signedIn('viewer');
    const doc = (await api().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const changing = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ method, path })),
    );
    const tenantChanging = changing.filter(
      ({ path }) =>
        path.startsWith('/v1/') && !path.startsWith('/v1/admin/') && !path.startsWith('/v1/auth/'),
    );
    // The campaign actions, DNC, hang-up and user management at least, whatever is added later.
    expect(tenantChanging.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining([
        'post /v1/campaigns',
        'put /v1/campaigns/{id}/mapping',
        'post /v1/campaigns/{id}/start',
        'post /v1/campaigns/{id}/pause',
        'post /v1/campaigns/{id}/resume',
        'post /v1/campaigns/{id}/cancel',
        'post /v1/dnc',
        'delete /v1/dnc',
        'delete /v1/dnc/{phone}',
        'post /v1/calls/{callId}/hangup',
        'post /v1/users',
        'delete /v1/users/{id}',
      ]),
    );
    for (const { method, path } of tenantChanging) {
      const url = path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
      const agent = api();
      const refused = await agent[method as 'post'](url)
        .set('cookie', viewer.cookie)
        .set('x-csrf-token', viewer.csrfToken)
        .send({});
      expect({ method, path, status: refused.status, code: refused.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'FORBIDDEN_ROLE',
      });
    }
    // What a viewer may do: read.
    await api().get('/v1/campaigns').set('cookie', viewer.cookie).expect(200);
    await api().get('/v1/dnc').set('cookie', viewer.cookie).expect(200);
  });

  it('refuses a viewer an upload before anything is stored', async () => {
    const viewer = await signedIn('viewer');
    const before = await stack.db
      .selectFrom('campaigns')
      .select('id')
      .where('tenant_id', '=', tenant.tenantId)
      .execute();
    const refused = await api()
      .post('/v1/campaigns')
      .set('cookie', viewer.cookie)
      .set('x-csrf-token', viewer.csrfToken)
      .field('config', '{}')
      .attach('file', Buffer.from('phone\n+905321110001\n'), 'c.csv')
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN_ROLE');
    const after = await stack.db
      .selectFrom('campaigns')
      .select('id')
      .where('tenant_id', '=', tenant.tenantId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  it('keeps API keys working, as admin and without a CSRF token', async () => {
    await api()
      .post('/v1/dnc')
      .set('authorization', `Bearer ${tenant.apiKey}`)
      .send({ phone: '+905321234502' })
      .expect(200);
    const users = await api().get('/v1/users').set('authorization', `Bearer ${tenant.apiKey}`).expect(200);
    expect(users.body.items.length).toBeGreaterThan(0);
    await api().get('/v1/auth/session').set('authorization', `Bearer ${tenant.apiKey}`).expect(401);
  });

  it('lets tenant admins manage their users, and nobody else', async () => {
    const admin = await signedIn('admin');
    const manager = await signedIn('manager');
    const refused = await api().get('/v1/users').set('cookie', manager.cookie).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN_ROLE');

    const email = `new-viewer-${Date.now()}@example.com`;
    const created = await api()
      .post('/v1/users')
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .send({ email, password: PASSWORD, role: 'viewer' })
      .expect(201);
    expect(created.body).toMatchObject({ email, role: 'viewer', tenantId: tenant.tenantId });
    const listed = await api().get('/v1/users').set('cookie', admin.cookie).expect(200);
    expect(listed.body.items.map((u: { email: string }) => u.email)).toContain(email);
    const otherList = await api().get('/v1/users').set('authorization', `Bearer ${other.apiKey}`).expect(200);
    expect(otherList.body.items.map((u: { email: string }) => u.email)).not.toContain(email);

    const viewerSession = await login(email);
    // Another tenant cannot delete the user; deleting them ends their sessions.
    await api()
      .delete(`/v1/users/${created.body.id}`)
      .set('authorization', `Bearer ${other.apiKey}`)
      .expect(404);
    await api()
      .delete(`/v1/users/${created.body.id}`)
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .expect(204);
    await api().get('/v1/auth/session').set('cookie', viewerSession.cookie).expect(401);
    const self = await api()
      .delete(`/v1/users/${admin.body.user.id as string}`)
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .expect(409);
    expect(self.body.code).toBe('CANNOT_DELETE_SELF');
  });

  it('logs out: the cookie is cleared and the session no longer opens anything', async () => {
    const session = await signedIn('manager');
    await api().post('/v1/auth/logout').set('cookie', session.cookie).expect(403);
    const out = await api()
      .post('/v1/auth/logout')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^outdial_session=;.*Expires=Thu, 01 Jan 1970/);
    await api().get('/v1/auth/session').set('cookie', session.cookie).expect(401);
    await api().get('/v1/campaigns').set('cookie', session.cookie).expect(401);
  });
});
