import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Kysely } from 'kysely';
import { tokenMatches } from '../../activities/providers/signature';
import type { AppConfig } from '../../infra/config/config';
import { findTenantIdByApiKey, hashApiKey } from '../../schema/repositories/tenants.repository';
import { findSession } from '../../schema/repositories/users.repository';
import type { DB } from '../../schema/types';
import { sessionTokenHash, sessionTokenOf } from '../auth/session-cookie';
import { bearer } from './auth.guard';
import { tooManyRequests } from './problem';
import { APP_CONFIG, SYSTEM_DB } from './tokens';

/** Whose budget a request spends: a tenant's (any of its keys or sessions), the operator's, or its address's. */
interface Caller {
  tracker: string;
  authenticated: boolean;
}

/** Long enough to spare Postgres a lookup per request; a credential's tenant never changes. */
const CREDENTIAL_TTL_MS = 60_000;
const CREDENTIALS_KEPT = 10_000;

/**
 * The public API's rate limit (RATE_LIMIT_*): one budget per tenant across every route, whichever of
 * its keys or sessions sends the request, and one per client address for requests without valid
 * credentials. Runs before authentication, so it resolves the credential's tenant itself (cached:
 * the cache only picks the budget, TenantGuard still checks every request). Counters live in each
 * API process's memory: with N processes behind a balancer a caller gets up to N times the limit.
 * Provider webhooks and health probes are exempt (@SkipThrottle).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly tenants = new Map<string, { tenantId: string | undefined; until: number }>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const caller = await this.callerOf(props.context.switchToHttp().getRequest<Request>());
    const limit = caller.authenticated
      ? this.config.RATE_LIMIT_PER_TENANT
      : this.config.RATE_LIMIT_PER_ADDRESS;
    return super.handleRequest({ ...props, limit, getTracker: () => caller.tracker });
  }

  /** One budget across routes, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    { limit, ttl, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    throw tooManyRequests(
      'RATE_LIMITED',
      `At most ${limit} requests per ${Math.round(ttl / 1000)} s; try again in ${timeToBlockExpire} s.`,
      timeToBlockExpire,
    );
  }

  private async callerOf(request: Request): Promise<Caller> {
    const key = bearer(request);
    if (key && tokenMatches(key, this.config.ADMIN_TOKEN))
      return { tracker: 'operator', authenticated: true };
    const session = key ? undefined : sessionTokenOf(request);
    const tenantId = key
      ? await this.cached(`key:${hashApiKey(key)}`, () => findTenantIdByApiKey(this.db, key))
      : session
        ? await this.cached(
            `session:${sessionTokenHash(session)}`,
            async () => (await findSession(this.db, sessionTokenHash(session)))?.user.tenantId,
          )
        : undefined;
    if (tenantId) return { tracker: `tenant:${tenantId}`, authenticated: true };
    return { tracker: `address:${request.ip ?? 'unknown'}`, authenticated: false };
  }

  private async cached(
    credential: string,
    lookUp: () => Promise<string | undefined>,
  ): Promise<string | undefined> {
    const now = Date.now();
    const hit = this.tenants.get(credential);
    if (hit && hit.until > now) return hit.tenantId;
    const tenantId = await lookUp();
    if (this.tenants.size >= CREDENTIALS_KEPT) this.tenants.clear();
    this.tenants.set(credential, { tenantId, until: now + CREDENTIAL_TTL_MS });
    return tenantId;
  }
}
