import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { createTenant } from '../../schema/repositories/tenants.repository';
import type { DB } from '../../schema/types';
import { AdminGuard } from '../common/auth.guard';
import { ValidBody } from '../common/validation';

const NewTenant = z.object({ name: z.string().trim().min(1).max(200) });

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class AdminController {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  /** Returns the tenant's API key once; only its hash is stored. */
  @Post('tenants')
  @HttpCode(201)
  createTenant(@ValidBody(NewTenant) body: z.infer<typeof NewTenant>) {
    return createTenant(this.db, body.name);
  }
}
