import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { ensureKeyFile, ensureSecretFile, TokensModule, tokensEntities } from '@gatehouse/tokens';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';
import { JwksController } from './jwks.controller.js';
import { TokensController } from './tokens.controller.js';

/** `iss` of the demo's tokens when no `PUBLIC_ORIGIN` is configured. */
export const DEMO_ISSUER = 'urn:gatehouse:demo';
/** `aud` of the demo's tokens: the orders API. */
export const DEMO_AUDIENCE = 'urn:gatehouse:demo:orders-api';

/**
 * Bearer tokens in the demo: `TokensModule` with a signing key and a refresh secret generated into
 * the data folder on first start (so restarts, and instances sharing the folder, keep tokens
 * valid), the refresh tables, and the token and JWKS endpoints.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(tokensEntities),
    TokensModule.forRootAsync({
      inject: [DEMO_CONFIG],
      useFactory: async (config: DemoConfig) => ({
        issuer: config.publicOrigin ?? DEMO_ISSUER,
        audience: DEMO_AUDIENCE,
        keysFile: await ensureKeyFile(join(config.dataDir, 'signing-keys.json'), config.tokenAlgorithm),
        accessTokenLifetimeMs: config.accessTokenTtlSeconds * 1000,
        refreshSecret: ensureSecretFile(join(config.dataDir, 'refresh-secret')),
        allowedOrigins: config.publicOrigin ? [config.publicOrigin] : [],
      }),
    }),
  ],
  controllers: [TokensController, JwksController],
})
export class TokensDemoModule {}
