import { CanActivate, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Kysely } from 'kysely';
import { findTenantIdByApiKey } from '../../schema/repositories/tenants.repository';
import { tokenMatches } from '../../activities/providers/signature';
import type { AppConfig } from '../../infra/config/config';
import type { DB } from '../../schema/types';
import { ProblemError } from './problem';
import { APP_CONFIG } from './tokens';

export interface TenantRequest extends Request {
  tenantId: string;
}

function bearer(request: Request): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const unauthorized = () => new ProblemError(401, 'UNAUTHORIZED', 'A valid Bearer token is required.');

@Injectable()
export class TenantGuard implements CanActivate {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const key = bearer(request);
    const tenantId = key ? await findTenantIdByApiKey(this.db, key) : undefined;
    if (!tenantId) throw unauthorized();
    request.tenantId = tenantId;
    return true;
  }
}

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const key = bearer(context.switchToHttp().getRequest<Request>());
    if (!tokenMatches(key, this.config.ADMIN_TOKEN)) throw unauthorized();
    return true;
  }
}
