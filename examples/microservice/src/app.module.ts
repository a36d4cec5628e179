import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseModule, HttpErrorFilter } from '@gatehouse/core';
import { ApiKeysModule, apiKeysEntities } from '@gatehouse/api-keys';
import { SessionsModule, sessionsEntities } from '@gatehouse/sessions';
import { TokensModule, tokensEntities } from '@gatehouse/tokens';
import { OrdersHandlers } from './orders.handlers.js';
import { SignInController } from './sign-in.controller.js';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gatehouse_example',
      entities: [...tokensEntities, ...sessionsEntities, ...apiKeysEntities],
      // A throwaway database per run; a real app runs the libraries' migrations instead.
      synchronize: true,
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
