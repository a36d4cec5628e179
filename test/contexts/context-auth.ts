import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseModule, type Clock, type Principal } from '@gatehouse/core';
import { ApiKeysModule, ApiKeysService, apiKeysEntities } from '@gatehouse/api-keys';
import { SessionService, SessionsModule, sessionsEntities } from '@gatehouse/sessions';
import { RefreshFamilies, TokenGrants, TokensModule, tokensEntities } from '@gatehouse/tokens';
import type { TestDatabase } from '../support/database.js';

// The real libraries behind every context suite: credentials are issued through their services,
// so "revoked" means revoked the way an app revokes, not a stand-in.

/** The modules of a context test app, on the test database. */
export function authModules(database: TestDatabase, options: { globalGuard?: boolean; clock?: Clock } = {}) {
  const entities = [...tokensEntities, ...sessionsEntities, ...apiKeysEntities];
  const orm =
    database.kind === 'postgres'
      ? ({ type: 'postgres', url: database.url, entities, synchronize: true } as const)
      : ({ type: 'better-sqlite3', database: database.url.slice('sqlite:'.length), entities, synchronize: true } as const);
  return [
    TypeOrmModule.forRoot(orm),
    GatehouseModule.forRoot({ ...options }),
    TokensModule.forRoot({ issuer: 'https://auth.test', audience: 'orders-api', purgeIntervalMs: 0 }),
    SessionsModule.forRoot({ purgeIntervalMs: 0 }),
    ApiKeysModule.forRoot({ usageFlushTickMs: 0 }),
  ];
}

/** Credentials of every kind a context suite sends, and how to revoke them. */
export interface Credentials {
  /** A bearer token with `orders:read`. */
  token: string;
  /** A bearer token with no scope. */
  underScoped: string;
  /** An API key with `orders:read`. */
  apiKey: string;
  /** `Cookie` header value of a session with `orders:read`. */
  cookie: string;
  csrfToken: string;
  /** A fresh bearer token with `orders:read`, and a function that revokes it. */
  revocable(): Promise<{ token: string; revoke(): Promise<void> }>;
  /** A fresh API key with `orders:read`, and a function that revokes it. */
  revocableKey(): Promise<{ key: string; revoke(): Promise<void> }>;
}

const owner: Principal = { kind: 'user', subject: 'key-owner', scopes: ['orders:read'], credential: { mechanism: 'session', id: 'setup' } };

export async function issueCredentials(app: INestApplicationContext): Promise<Credentials> {
  const grants = app.get(TokenGrants);
  const families = app.get(RefreshFamilies);
  const keys = app.get(ApiKeysService);
  const sessions = app.get(SessionService);
  const token = (await grants.signIn('reader', ['orders:read'])).accessToken;
  const underScoped = (await grants.signIn('nobody', [])).accessToken;
  const apiKey = (await keys.create(owner, { name: 'reader key', scopes: ['orders:read'] })).key;
  const session = await sessions.login('browser-user', ['orders:read']);
  return {
    token,
    underScoped,
    apiKey,
    cookie: `__Host-session=${session.secret}`,
    csrfToken: session.csrfToken,
    async revocable() {
      const pair = await grants.signIn('revoked-reader', ['orders:read']);
      return { token: pair.accessToken, revoke: async () => void (await families.revokeFamily(pair.familyId, 'test')) };
    },
    async revocableKey() {
      const issued = await keys.create(owner, { name: 'doomed key', scopes: ['orders:read'] });
      return { key: issued.key, revoke: async () => void (await keys.revoke(owner, issued.apiKey.id)) };
    },
  };
}
