import { CanActivate, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { findTenantIdByApiKey } from '../../schema/repositories/tenants.repository';
import { findSession, type UserView } from '../../schema/repositories/users.repository';
import { tokenMatches } from '../../activities/providers/signature';
import type { AppConfig } from '../../infra/config/config';
import type { DB } from '../../schema/types';
import { CSRF_HEADER, sessionTokenHash, sessionTokenOf } from '../auth/session-cookie';
import { ProblemError } from './problem';
import { ROLE_METADATA, roleAllows, type UserRole } from './roles';
import { APP_CONFIG, SYSTEM_DB } from './tokens';

export interface TenantRequest extends Request {
  tenantId: string;
  /** An API key acts as admin. */
  role: UserRole;
  /** Set when a session cookie, not an API key, authenticated the request. */
  user?: UserView;
  session?: { tokenHash: string; csrfToken: string };
}

export function bearer(request: Request): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const unauthorized = () =>
  new ProblemError(401, 'UNAUTHORIZED', 'Sign in, or send a valid API key as a Bearer token.');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A tenant's request: a Bearer API key (machines; role admin, no CSRF token since no browser sends
 * it by itself) or the console's session cookie, whose state-changing requests must repeat the
 * session's CSRF token in X-CSRF-Token. Then the endpoint's RequireRole is checked.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    await this.authenticate(request);
    const needed = this.reflector.getAllAndOverride<UserRole | undefined>(ROLE_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (needed && !roleAllows(request.role, needed)) {
      throw new ProblemError(
        403,
        'FORBIDDEN_ROLE',
        `This needs the ${needed} role; you are ${request.role}.`,
        {
          role: request.role,
          requiredRole: needed,
        },
      );
    }
    return true;
  }

  private async authenticate(request: TenantRequest): Promise<void> {
    const key = bearer(request);
    if (key) {
      const tenantId = await findTenantIdByApiKey(this.db, key);
      if (!tenantId) throw unauthorized();
      request.tenantId = tenantId;
      request.role = 'admin';
      return;
    }
    const token = sessionTokenOf(request);
    const tokenHash = token ? sessionTokenHash(token) : undefined;
    const session = tokenHash ? await findSession(this.db, tokenHash) : undefined;
    if (!session || !tokenHash) throw unauthorized();
    if (!SAFE_METHODS.has(request.method) && !tokenMatches(request.header(CSRF_HEADER), session.csrfToken)) {
      throw new ProblemError(
        403,
        'CSRF_TOKEN_INVALID',
        'Send the session’s CSRF token (from sign-in or GET /v1/auth/session) in X-CSRF-Token.',
      );
    }
    request.tenantId = session.user.tenantId;
    request.role = session.user.role;
    request.user = session.user;
    request.session = { tokenHash, csrfToken: session.csrfToken };
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

/**
 * The codec endpoint: the admin token (the Temporal CLI's `--codec-auth`), or a page of a Temporal
 * UI origin in CODEC_UI_ORIGINS, which has no token to send. An Origin header is easy to forge
 * outside a browser, so production lists an origin only where the API is not reachable from outside.
 */
@Injectable()
export class CodecGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (tokenMatches(bearer(request), this.config.ADMIN_TOKEN)) return true;
    const origin = request.headers.origin;
    if (origin && this.config.CODEC_UI_ORIGINS.includes(origin)) return true;
    throw unauthorized();
  }
}
