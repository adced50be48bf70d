import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createTenant } from '../../schema/repositories/tenants.repository';
import type { DB } from '../../schema/types';
import { NewUser, UsersService } from '../auth/users.service';
import { AdminGuard } from '../common/auth.guard';
import { ValidBody } from '../common/validation';
import { SYSTEM_DB } from '../common/tokens';

const NewTenant = z.object({ name: z.string().trim().min(1).max(200) });

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  /** Returns the tenant's API key once; only its hash is stored. */
  @Post('tenants')
  @HttpCode(201)
  createTenant(@ValidBody(NewTenant) body: z.infer<typeof NewTenant>) {
    return createTenant(this.db, body.name);
  }

  /** The tenant's first user (usually its admin); later ones its admins can add at /v1/users. */
  @Post('tenants/:tenantId/users')
  @HttpCode(201)
  createUser(@Param('tenantId') tenantId: string, @ValidBody(NewUser) body: z.infer<typeof NewUser>) {
    return this.users.create(tenantId, body);
  }
}
