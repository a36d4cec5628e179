import { Inject, Module, type OnModuleInit, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, GatehouseConfigurationError } from '@gatehouse/core';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { JwksDocumentProvider } from './jwks-document.provider.js';
import { JwtMechanism } from './jwt.mechanism.js';
import { JwtStrategy } from './jwt.strategy.js';
import { KeyRing } from './key-ring.js';
import { RefreshFamilies } from './refresh-families.service.js';
import { RefreshCookie } from './refresh-cookie.js';
import { RefreshFamily } from './refresh-family.entity.js';
import { RefreshPurgeScheduler } from './refresh-purge.scheduler.js';
import { RefreshTokenStore } from './refresh-token-store.interface.js';
import { resolveTokensOptions, type ResolvedTokensOptions } from './resolve-tokens-options.js';
import { TokenEndpointContext } from './token-endpoint.context.js';
import { TokenGrants } from './token-grants.service.js';
import { TOKENS_OPTIONS } from './tokens.constants.js';
import { TOKENS_MODULE_OPTIONS, TokensConfigurableModule } from './tokens.module-definition.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';
import { TypeOrmRefreshTokenStore } from './typeorm-refresh-token.store.js';

function dataSourceOf(moduleRef: ModuleRef, options: ResolvedTokensOptions): DataSource {
  let dataSource: DataSource;
  try {
    dataSource = moduleRef.get<DataSource>(getDataSourceToken(options.dataSourceName), { strict: false });
  } catch {
    throw new GatehouseConfigurationError(
      'TokensModule',
      'refreshTokens',
      'refresh tokens need a TypeORM DataSource (TypeOrmModule.forRoot) holding tokensEntities; ' +
        'set refreshTokens: false to issue and verify access tokens only',
    );
  }
  return dataSource;
}

const providers: Provider[] = [
  { provide: TOKENS_OPTIONS, inject: [TOKENS_MODULE_OPTIONS], useFactory: (options: TokensModuleOptions) => resolveTokensOptions(options) },
  { provide: KeyRing, inject: [TOKENS_OPTIONS, Clock], useFactory: (options: ResolvedTokensOptions, clock: Clock) => KeyRing.create(options, clock) },
  {
    provide: RefreshTokenStore,
    inject: [TOKENS_MODULE_OPTIONS, TOKENS_OPTIONS, ModuleRef],
    useFactory: (raw: TokensModuleOptions, options: ResolvedTokensOptions, moduleRef: ModuleRef) =>
      raw.refreshTokenStore ?? new TypeOrmRefreshTokenStore(() => dataSourceOf(moduleRef, options)),
  },
  AccessTokenVerifier,
  AccessTokenIssuer,
  JwtMechanism,
  JwtStrategy,
  JwksDocumentProvider,
  RefreshFamilies,
  RefreshCookie,
  TokenGrants,
  TokenEndpointContext,
  RefreshPurgeScheduler,
];

/**
 * Access tokens (EdDSA JWTs, key ring, JWKS), the `jwt` mechanism and passport strategy, and
 * rotating refresh families. Import after `GatehouseModule`; global by default.
 *
 * @example TokensModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-api', keysFile: './data/signing-keys.json' })
 * @example TokensModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-api', jwksUrl: 'https://auth.example.com/.well-known/jwks.json' })
 */
@Module({
  providers,
  exports: [TOKENS_OPTIONS, KeyRing, RefreshTokenStore, AccessTokenVerifier, AccessTokenIssuer, JwtMechanism, JwksDocumentProvider, RefreshFamilies, RefreshCookie, TokenGrants, TokenEndpointContext],
})
export class TokensModule extends TokensConfigurableModule implements OnModuleInit {
  constructor(
    @Inject(TOKENS_MODULE_OPTIONS) private readonly raw: TokensModuleOptions,
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  /** Fails at start, not at the first refresh, when refresh tokens are on but their tables are not. */
  onModuleInit(): void {
    if (!this.options.refreshTokens || this.raw.refreshTokenStore) return;
    const dataSource = dataSourceOf(this.moduleRef, this.options);
    if (!dataSource.hasMetadata(RefreshFamily)) {
      throw new GatehouseConfigurationError(
        'TokensModule',
        'refreshTokens',
        'the DataSource does not know the refresh entities: add tokensEntities to its entities, ' +
          'or TypeOrmModule.forFeature(tokensEntities) with autoLoadEntities',
      );
    }
  }
}
