import { sql } from 'kysely';
import type { UserRole } from '../types';
import type { Executor } from './executor';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  tenantId: string;
  tenantName: string;
  createdAt: string;
}

export class EmailTakenError extends Error {}

const UNIQUE_VIOLATION = '23505';

function userColumns(db: Executor) {
  return db
    .selectFrom('users')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select([
      'users.id',
      'users.email',
      'users.role',
      'users.tenant_id',
      'users.created_at',
      'users.password_hash',
      'tenants.name as tenant_name',
    ]);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userColumns>['executeTakeFirstOrThrow']>>;

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    createdAt: row.created_at.toISOString(),
  };
}

/** Throws EmailTakenError when the address (any case) already has an account. */
export async function insertUser(
  db: Executor,
  user: { tenantId: string; email: string; passwordHash: string; role: UserRole },
): Promise<UserView> {
  try {
    const { id } = await db
      .insertInto('users')
      .values({
        tenant_id: user.tenantId,
        email: user.email,
        password_hash: user.passwordHash,
        role: user.role,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return toView(await userColumns(db).where('users.id', '=', id).executeTakeFirstOrThrow());
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new EmailTakenError(user.email);
    throw error;
  }
}

/** The account for a sign-in, with its hash to verify; the address matches in any case. */
export async function findUserForLogin(
  db: Executor,
  email: string,
): Promise<(UserView & { passwordHash: string }) | undefined> {
  const row = await userColumns(db)
    .where(sql<string>`lower(users.email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row ? { ...toView(row), passwordHash: row.password_hash } : undefined;
}

export async function listTenantUsers(db: Executor, tenantId: string): Promise<UserView[]> {
  const rows = await userColumns(db)
    .where('users.tenant_id', '=', tenantId)
    .orderBy('users.created_at')
    .execute();
  return rows.map(toView);
}

/** Deletes the user and, by cascade, every session of theirs; false when the tenant has no such user. */
export async function deleteTenantUser(db: Executor, tenantId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('users')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Sets a new password on an existing account; the demo login gets a fresh one on every start. */
export async function resetUserPassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** A live session and its user; an expired one is as good as none. */
export async function findSession(
  db: Executor,
  tokenHash: string,
): Promise<{ user: UserView; csrfToken: string } | undefined> {
  const row = await userColumns(db)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .select('sessions.csrf_token')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { user: toView(row), csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Expired sessions are never read; this keeps the table from growing with them. */
export async function deleteExpiredSessions(db: Executor): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();
}
