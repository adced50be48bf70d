import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  deleteExpiredSessions,
  deleteSession,
  findUserForLogin,
  insertSession,
  type UserView,
} from '../../schema/repositories/users.repository';
import type { AppConfig } from '../../infra/config/config';
import type { DB } from '../../schema/types';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { ProblemError } from '../common/problem';
import { APP_CONFIG, SYSTEM_DB } from '../common/tokens';
import { ValidBody } from '../common/validation';
import { passwordMatches } from './passwords';
import {
  clearedSessionCookie,
  newToken,
  sessionCookie,
  sessionTokenHash,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from './session-cookie';

const Login = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(200) });

const SessionSchema = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(['admin', 'manager', 'viewer']),
    tenantId: z.uuid(),
    tenantName: z.string(),
  }),
  csrfToken: z.string().describe('send it back in X-CSRF-Token on every state-changing request'),
});

const sessionBody = (user: UserView, csrfToken: string) => ({
  user: {
    id: user.id,
    email: user.email,
    role: user.role,
    tenantId: user.tenantId,
    tenantName: user.tenantName,
  },
  csrfToken,
});

/** The console's sign-in: a session cookie (HttpOnly, SameSite=Strict) and the CSRF token to echo. */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  private readonly secure: boolean;

  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secure = config.PUBLIC_BASE_URL.startsWith('https:');
  }

  /** A wrong email and a wrong password get the same answer, in the same time. */
  @Post('login')
  @HttpCode(200)
  @ApiResult(SessionSchema)
  async login(@ValidBody(Login) body: z.infer<typeof Login>, @Res({ passthrough: true }) res: Response) {
    const user = await findUserForLogin(this.db, body.email);
    if (!(await passwordMatches(user?.passwordHash, body.password)) || !user) {
      throw new ProblemError(401, 'INVALID_CREDENTIALS', 'The email or the password is wrong.');
    }
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await deleteExpiredSessions(this.db);
    await insertSession(this.db, {
      tokenHash: sessionTokenHash(token),
      userId: user.id,
      csrfToken,
      expiresAt,
    });
    res.setHeader('set-cookie', sessionCookie(token, { secure: this.secure, expires: expiresAt }));
    return sessionBody(user, csrfToken);
  }

  @Get('session')
  @ApiResult(SessionSchema)
  @ApiCookieAuth(SESSION_COOKIE)
  @UseGuards(TenantGuard)
  session(@Req() req: TenantRequest) {
    if (!req.user || !req.session) throw new ProblemError(401, 'UNAUTHORIZED', 'No session: sign in.');
    return sessionBody(req.user, req.session.csrfToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @UseGuards(TenantGuard)
  async logout(@Req() req: TenantRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (req.session) await deleteSession(this.db, req.session.tokenHash);
    res.setHeader('set-cookie', clearedSessionCookie({ secure: this.secure }));
  }
}
