import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseAccounts, GatehouseModule, HttpErrorFilter } from '@gatehouse/core';
import { ApiKeysModule, apiKeysEntities, apiKeysMigrations } from '@gatehouse/api-keys';
import { SessionsModule, sessionsEntities, sessionsMigrations } from '@gatehouse/sessions';
import { ensureKeyFile, TokensModule, tokensEntities, tokensMigrations } from '@gatehouse/tokens';
import { AccountsService } from './accounts.service.js';
import { OrdersController } from './orders.controller.js';
import { SignInController } from './sign-in.controller.js';

@Module({
  imports: [
    // The libraries' tables come from their migration arrays, run at start.
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gatehouse_example',
      entities: [...tokensEntities, ...sessionsEntities, ...apiKeysEntities],
      migrations: [...tokensMigrations, ...sessionsMigrations, ...apiKeysMigrations],
      migrationsRun: true,
    }),
    GatehouseModule.forRoot({ redisUrl: process.env.REDIS_URL }),
    TokensModule.forRootAsync({
      useFactory: async () => ({
        issuer: 'https://auth.example.com',
        audience: 'orders-api',
        keysFile: await ensureKeyFile(process.env.KEYS_FILE ?? './signing-keys.json'),
        refreshSecret: process.env.REFRESH_SECRET,
      }),
    }),
    SessionsModule.forRoot({ allowedOrigins: ['https://app.example.com'] }),
    ApiKeysModule.forRoot({ prefix: 'example' }),
  ],
  controllers: [SignInController, OrdersController],
  providers: [
    AccountsService,
    { provide: GatehouseAccounts, useExisting: AccountsService },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class AppModule {}
