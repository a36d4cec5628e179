import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseModule, MechanismRegistry } from '@gatehouse/core';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { RefreshFamilies } from './refresh-families.service.js';
import { TokensConfigurationError } from './resolve-tokens-options.js';
import { tokensEntities } from './tokens.entities.js';
import { TokensModule } from './tokens.module.js';

Logger.overrideLogger(false);

const start = async (imports: unknown[]) => {
  const moduleRef = await Test.createTestingModule({ imports: [GatehouseModule.forRoot({}), ...(imports as never[])] }).compile();
  await moduleRef.init();
  return moduleRef;
};

describe('TokensModule', () => {
  it('refuses to start with an access-token lifetime outside 5–15 minutes, saying so', async () => {
    const attempt = start([TokensModule.forRoot({ issuer: 'https://auth.test', audience: 'api', accessTokenLifetimeMs: 60 * 60_000, refreshTokens: false })]);
    await expect(attempt).rejects.toThrow(TokensConfigurationError);
    await expect(attempt).rejects.toThrow('TokensModule option accessTokenLifetimeMs: must be between 5 and 15 minutes');
  });

  it('refuses to start with refresh tokens on but no DataSource', async () => {
    await expect(start([TokensModule.forRoot({ issuer: 'https://auth.test', audience: 'api' })])).rejects.toThrow(/need a TypeORM DataSource/);
  });

  it('refuses to start when the DataSource lacks the refresh entities', async () => {
    const attempt = start([
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: [] }),
      TokensModule.forRoot({ issuer: 'https://auth.test', audience: 'api' }),
    ]);
    await expect(attempt).rejects.toThrow(/does not know the refresh entities/);
  });

  it('starts from forRootAsync with a DataSource, registers the jwt mechanism, and issues verifiable tokens', async () => {
    const moduleRef = await start([
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: tokensEntities, synchronize: true }),
      TokensModule.forRootAsync({ useFactory: async () => ({ issuer: 'https://auth.test', audience: 'api' }) }),
    ]);
    try {
      expect(moduleRef.get(MechanismRegistry).has('jwt')).toBe(true);
      const grant = await moduleRef.get(RefreshFamilies).start('user-1', ['a'], {});
      const { accessToken } = await moduleRef.get(AccessTokenIssuer).issue({ subject: 'user-1', scopes: grant.scopes, sessionId: grant.familyId });
      await expect(Promise.resolve(moduleRef.get(AccessTokenVerifier).verify(accessToken))).resolves.toMatchObject({ subject: 'user-1' });
    } finally {
      await moduleRef.close();
    }
  });
});
