import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseModule, HttpErrorFilter } from '@gatehouse/core';
import { ApiKeysModule, apiKeysEntities, apiKeysMigrations } from '@gatehouse/api-keys';
import { SessionsModule, sessionsEntities, sessionsMigrations } from '@gatehouse/sessions';
import { IssuersModule, TokensModule, tokensEntities, tokensMigrations } from '@gatehouse/tokens';
import { OrdersGateway } from './orders.gateway.js';
import { OrganizationPolicy } from './organization.policy.js';
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
    // Tokens of an identity provider the app does not run (an Auth0 tenant: scopes in `permissions`).
    IssuersModule.forRoot({
      issuers: [
        {
          issuer: process.env.ISSUER ?? 'https://tenant.eu.auth0.com/',
          jwksUrl: process.env.ISSUER_JWKS_URL ?? 'https://tenant.eu.auth0.com/.well-known/jwks.json',
          audience: process.env.ISSUER_AUDIENCE ?? 'https://api.example.com',
          scopeClaim: 'permissions',
        },
      ],
      // The tests serve the JWKS over http on 127.0.0.1; never outside tests.
      allowInsecureLoopback: process.env.NODE_ENV === 'test',
    }),
    // A session cookie opens a socket only from these origins (or the app's own).
    SessionsModule.forRoot({ allowedOrigins: ['https://app.example.com'] }),
    ApiKeysModule.forRoot({ prefix: 'example' }),
  ],
  controllers: [SignInController],
  providers: [OrdersGateway, OrganizationPolicy, { provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class AppModule {}
