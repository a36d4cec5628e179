import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseModule, HttpErrorFilter } from '@gatehouse/core';
import { ApiKeysModule, apiKeysEntities, apiKeysMigrations } from '@gatehouse/api-keys';
import { SessionsModule, sessionsEntities, sessionsMigrations } from '@gatehouse/sessions';
import { TokensModule, tokensEntities, tokensMigrations } from '@gatehouse/tokens';
import { OrdersHandlers } from './orders.handlers.js';
import { SignInController } from './sign-in.controller.js';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gatehouse_example',
      entities: [...tokensEntities, ...sessionsEntities, ...apiKeysEntities],
      // The libraries' tables come from their migration arrays, run at start.
      migrations: [...tokensMigrations, ...sessionsMigrations, ...apiKeysMigrations],
      migrationsRun: true,
    }),
    GatehouseModule.forRoot({}),
    TokensModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-api' }),
    SessionsModule.forRoot({}),
    ApiKeysModule.forRoot({ prefix: 'example' }),
  ],
  controllers: [SignInController, OrdersHandlers],
  providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class AppModule {}
