import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { ensureKeyFile, ensureSecretFile, TokenEndpointsModule, TokensModule, tokensEntities } from '@gatehouse/tokens';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';

/** `iss` of the demo's tokens when no `PUBLIC_ORIGIN` is configured. */
export const DEMO_ISSUER = 'urn:gatehouse:demo';
/** `aud` of the demo's tokens: the orders API. */
export const DEMO_AUDIENCE = 'urn:gatehouse:demo:orders-api';
/** `client_id` of the demo's user tokens (RFC 9068 §2.2): its own first-party web and mobile client. */
export const DEMO_CLIENT_ID = 'gatehouse-demo';

/**
 * Bearer tokens in the demo: `TokensModule` with a signing key and a refresh secret generated into
 * the data folder on first start (so restarts, and instances sharing the folder, keep tokens
 * valid), the refresh tables, and the library's token endpoints at README's paths, with
 * `/oauth/token` (client credentials and refresh) as the metadata's token endpoint.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(tokensEntities),
    TokensModule.forRootAsync({
      inject: [DEMO_CONFIG],
      useFactory: async (config: DemoConfig) => ({
        issuer: config.publicOrigin ?? DEMO_ISSUER,
        audience: DEMO_AUDIENCE,
        clientId: DEMO_CLIENT_ID,
        keysFile: await ensureKeyFile(join(config.dataDir, 'signing-keys.json'), config.tokenAlgorithm),
        accessTokenLifetimeMs: config.accessTokenTtlSeconds * 1000,
        refreshSecret: ensureSecretFile(join(config.dataDir, 'refresh-secret')),
        allowedOrigins: config.publicOrigin ? [config.publicOrigin] : [],
      }),
    }),
    TokenEndpointsModule.forRoot({ tokenEndpoint: '/oauth/token' }),
  ],
})
export class TokensDemoModule {}
