import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import { coreEntities, GatehouseModule, HttpErrorFilter, type Clock } from '@gatehouse/core';
import { AccountPageModule } from './account/account-page.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { ApiKeysDemoModule } from './api-keys/api-keys-demo.module.js';
import { DEMO_CONFIG, type DemoConfig } from './config/demo.config.js';
import { databaseOptions } from './database/database.options.js';
import { HealthController } from './health/health.controller.js';
import { InfoController } from './info/info.controller.js';
import { LoggingModule } from './logging/logging.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { demoRateLimits } from './rate-limits/demo-rate-limits.js';
import { SessionsDemoModule } from './sessions/sessions-demo.module.js';
import { TokensDemoModule } from './tokens/tokens-demo.module.js';

/** What the demo app is built from: its configuration, and for tests a clock and a log sink. */
export interface DemoModuleOptions {
  config: DemoConfig;
  clock?: Clock;
  logStream?: DestinationStream;
  /** More controllers on the root module, routed right after `GET /` and `GET /me` (the bench's reference route). */
  controllers?: Type[];
  /** More modules and providers on the root module (the bench's GraphQL endpoint and its resolver). */
  imports?: DynamicModule[];
  providers?: Type[];
}

/** The demo orders service, wiring every gatehouse library together. */
@Module({})
export class AppModule {
  static forRoot({ config, clock, logStream, controllers = [], imports = [], providers = [] }: DemoModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(config.logLevel, logStream),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        ScheduleModule.forRoot(),
        TypeOrmModule.forRoot({
          ...databaseOptions(config.databaseUrl, config.dataDir, { connectTimeoutMs: config.databaseConnectTimeoutMs, queryTimeoutMs: config.databaseQueryTimeoutMs }),
          autoLoadEntities: true,
        }),
        // Durable revocations: core's table on the app's DataSource.
        TypeOrmModule.forFeature(coreEntities),
        GatehouseModule.forRoot({
          redisUrl: config.redisUrl,
          redisKeyPrefix: config.redisKeyPrefix,
          revocationMaxStalenessMs: config.revocationMaxStalenessSeconds * 1000,
          rateLimits: demoRateLimits(config),
          ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
          ...(clock ? { clock } : {}),
        }),
        AccountsModule,
        OrdersModule,
        ApiKeysDemoModule,
        SessionsDemoModule,
        TokensDemoModule,
        AccountPageModule,
        ...imports,
      ],
      controllers: [InfoController, ...controllers, HealthController],
      providers: [{ provide: DEMO_CONFIG, useValue: config }, { provide: APP_FILTER, useClass: HttpErrorFilter }, ...providers],
      exports: [DEMO_CONFIG],
    };
  }
}
