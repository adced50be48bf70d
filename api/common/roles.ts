import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '../../schema/types';

export type { UserRole };

export const ROLE_METADATA = 'outdial:role';

const RANK: Record<UserRole, number> = { viewer: 0, manager: 1, admin: 2 };

/** Whether `role` may do what needs `needed`: each role can do what the ones below it can. */
export const roleAllows = (role: UserRole, needed: UserRole): boolean => RANK[role] >= RANK[needed];

/**
 * The least role an endpoint needs (TenantGuard refuses the others with 403 FORBIDDEN_ROLE). Every
 * state-changing tenant endpoint carries one; without it, any signed-in role may read.
 */
export const RequireRole = (role: Exclude<UserRole, 'viewer'>) => SetMetadata(ROLE_METADATA, role);
