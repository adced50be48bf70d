import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { tenantExists } from '../../schema/repositories/tenants.repository';
import {
  deleteTenantUser,
  EmailTakenError,
  insertUser,
  listTenantUsers,
} from '../../schema/repositories/users.repository';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { ProblemError, notFound } from '../common/problem';
import { isUuid } from '../campaigns/campaigns.service';
import { hashPassword } from './passwords';

export const USER_ROLES = ['admin', 'manager', 'viewer'] as const;

export const NewUser = z.object({
  email: z.string().trim().max(320).pipe(z.email()),
  password: z.string().min(10, 'at least 10 characters').max(200),
  role: z.enum(USER_ROLES),
});

/** A tenant's users: created by the operator (the first) or the tenant's admins (the others). */
@Injectable()
export class UsersService {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  async create(tenantId: string, user: z.infer<typeof NewUser>) {
    if (!isUuid(tenantId) || !(await tenantExists(this.db, tenantId))) throw notFound('Tenant');
    const passwordHash = await hashPassword(user.password);
    try {
      return await withTenant(this.db, tenantId, (trx) =>
        insertUser(trx, { tenantId, email: user.email, passwordHash, role: user.role }),
      );
    } catch (error) {
      if (error instanceof EmailTakenError) {
        throw new ProblemError(
          HttpStatus.CONFLICT,
          'EMAIL_TAKEN',
          'An account with this email already exists.',
          {
            errors: [{ path: 'email', message: 'already taken' }],
          },
        );
      }
      throw error;
    }
  }

  async list(tenantId: string) {
    return { items: await withTenant(this.db, tenantId, (trx) => listTenantUsers(trx, tenantId)) };
  }

  async delete(tenantId: string, userId: string, actingUserId: string | undefined) {
    if (userId === actingUserId) {
      throw new ProblemError(
        HttpStatus.CONFLICT,
        'CANNOT_DELETE_SELF',
        'You cannot delete your own account.',
      );
    }
    const deleted =
      isUuid(userId) &&
      (await withTenant(this.db, tenantId, (trx) => deleteTenantUser(trx, tenantId, userId)));
    if (!deleted) throw notFound('User');
  }
}
