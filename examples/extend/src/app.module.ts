import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseAccounts, GatehouseModule, HttpErrorFilter } from '@gatehouse/core';
import { SessionsModule, sessionsEntities, sessionsMigrations } from '@gatehouse/sessions';
import { ensureKeyFile, IssuersModule, TokensModule, tokensEntities, tokensMigrations } from '@gatehouse/tokens';
import { AccountsService } from './accounts.service.js';
import { HmacSignatureMechanism } from './hmac-signature.mechanism.js';
import { OrganizationPolicy } from './organization.policy.js';
import { PartnersController } from './partners.controller.js';
import { SignInController } from './sign-in.controller.js';
import { WebhooksModule } from './webhooks.module.js';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gatehouse_example',
      entities: [...tokensEntities, ...sessionsEntities],
      migrations: [...tokensMigrations, ...sessionsMigrations],
      migrationsRun: true,
    }),
    // The HMAC mechanism's partners, visible to GatehouseModule (which builds the mechanism).
    WebhooksModule,
    GatehouseModule.forRoot({ mechanisms: [HmacSignatureMechanism] }),
    // The app's own tokens…
    TokensModule.forRootAsync({
      useFactory: async () => ({
        issuer: 'https://auth.example.com',
        audience: 'orders-api',
        keysFile: await ensureKeyFile(process.env.KEYS_FILE ?? './signing-keys.json'),
      }),
    }),
    // …and those of an identity provider the app does not run (an Auth0 tenant: scopes in `permissions`).
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
    SessionsModule.forRoot({ allowedOrigins: ['https://app.example.com'] }),
  ],
  controllers: [SignInController, PartnersController],
  providers: [
    AccountsService,
    OrganizationPolicy,
    { provide: GatehouseAccounts, useExisting: AccountsService },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class AppModule {}
