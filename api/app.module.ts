import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Client } from '@temporalio/client';
import { Kysely } from 'kysely';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Logger } from 'pino';
import type { AppConfig } from '../infra/config/config';
import type { DB } from '../schema/types';
import { AdminController } from './admin/admin.controller';
import { TenantQuotasController } from './admin/tenant-quotas.controller';
import { AdminApiKeysController, ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { UsersController } from './auth/users.controller';
import { UsersService } from './auth/users.service';
import { TenantWebhookInboxController, WebhookInboxController } from './admin/webhook-inbox.controller';
import { CallsController } from './calls/calls.controller';
import { CampaignEvents } from './campaigns/campaign-events';
import { CallsService } from './calls/calls.service';
import { providersFromConfig } from '../activities/providers/from-config';
import type { ProviderRegistry } from '../activities/providers/registry';
import { CampaignReconciler } from './campaigns/campaign-reconciler';
import { CampaignStarter } from './campaigns/campaign-starter';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { WizardController } from './campaigns/wizard.controller';
import { WizardService } from './campaigns/wizard.service';
import { CodecController } from './codec/codec.controller';
import { CodecService } from './codec/codec.service';
import { AdminGuard, CodecGuard, TenantGuard } from './common/auth.guard';
import { RateLimitGuard } from './common/rate-limit.guard';
import { httpLogging } from './common/http-logging';
import { APP_CONFIG, PROVIDERS, SYSTEM_DB } from './common/tokens';
import { DncController } from './dnc/dnc.controller';
import { DncService } from './dnc/dnc.service';
import { DocsRoutes } from './docs/docs-routes';
import { DrainState } from './drain';
import { HealthController } from './health/health.controller';
import { AsteriskWebhookController } from './webhooks/asterisk-webhook.controller';
import { ElevenLabsToolsController } from './webhooks/elevenlabs-tools.controller';
import { ElevenLabsWebhookController } from './webhooks/elevenlabs-webhook.controller';
import { FlowToolsService } from './webhooks/flow-tools.service';
import { InboxService } from './webhooks/inbox.service';
import { InboxRetention } from './webhooks/inbox-retention';
import { UltravoxWebhookController } from './webhooks/ultravox-webhook.controller';

export interface ApiDeps {
  config: AppConfig;
  /** The app's pool: tenant requests go through withTenant. */
  db: Kysely<DB>;
  systemDb: Kysely<DB>;
  temporal: Client;
  /** Defaults to the adapters the config has endpoints for. */
  providers?: ProviderRegistry;
  /** Where the API's lines go (createLogger); none are written without it. */
  logger?: Logger;
}

/** The API's one module; its dependencies are made by the caller (entry point or test). */
@Module({})
export class AppModule {
  static register(deps: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      // The limit per request is chosen by RateLimitGuard; this sets the window.
      imports: [
        LoggerModule.forRoot(httpLogging(deps.logger ?? pino({ level: 'silent' }))),
        ThrottlerModule.forRoot({
          throttlers: [
            { ttl: deps.config.RATE_LIMIT_WINDOW_SECONDS * 1000, limit: deps.config.RATE_LIMIT_PER_TENANT },
          ],
        }),
      ],
      // Routes match in this order: the providers' webhooks and tools, which take most requests, first.
      controllers: [
        ElevenLabsWebhookController,
        ElevenLabsToolsController,
        UltravoxWebhookController,
        AsteriskWebhookController,
        HealthController,
        AdminController,
        AdminApiKeysController,
        TenantQuotasController,
        AuthController,
        ApiKeysController,
        UsersController,
        WebhookInboxController,
        TenantWebhookInboxController,
        WizardController,
        CampaignsController,
        CallsController,
        DncController,
        CodecController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: Kysely, useValue: deps.db },
        { provide: SYSTEM_DB, useValue: deps.systemDb },
        { provide: Client, useValue: deps.temporal },
        { provide: PROVIDERS, useValue: deps.providers ?? providersFromConfig(deps.config) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        CampaignsService,
        CampaignStarter,
        CampaignReconciler,
        CampaignEvents,
        WizardService,
        CallsService,
        DncService,
        UsersService,
        ApiKeysService,
        InboxService,
        InboxRetention,
        FlowToolsService,
        TenantGuard,
        AdminGuard,
        CodecGuard,
        CodecService,
        DocsRoutes,
        DrainState,
      ],
    };
  }
}
