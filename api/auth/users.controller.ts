import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { RequireRole } from '../common/roles';
import { ValidBody } from '../common/validation';
import { SESSION_COOKIE } from './session-cookie';
import { NewUser, UsersService } from './users.service';

/** The tenant's admins manage its users. */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@RequireRole('admin')
@Controller('v1/users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  list(@Req() req: TenantRequest) {
    return this.users.list(req.tenantId);
  }

  @Post()
  @HttpCode(201)
  create(@Req() req: TenantRequest, @ValidBody(NewUser) body: z.infer<typeof NewUser>) {
    return this.users.create(req.tenantId, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: TenantRequest, @Param('id') id: string): Promise<void> {
    await this.users.delete(req.tenantId, id, req.user?.id);
  }
}
