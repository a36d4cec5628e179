import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { GatehouseError, GatehouseModule, ManualClock, type Principal, type SecurityEvent } from '@gatehouse/core';
import { ApiKeysModule, ApiKeyVerifier, apiKeysEntities, type ApiKeysModuleOptions } from '../src/index.js';

/** Counts every SQL statement a DataSource runs (TypeORM calls its logger for each, logging or not). */
export class QueryCounter implements TypeOrmLogger {
  readonly queries: string[] = [];

  get count(): number {
    return this.queries.length;
  }

  /** Installs the counter on `dataSource` and returns it. */
  static attach(dataSource: DataSource): QueryCounter {
    const counter = new QueryCounter();
    (dataSource as { logger: TypeOrmLogger }).logger = counter;
    return counter;
  }

  logQuery(query: string): void {
    // The revocation feed polls on its own timer, off the request path: not a request's cost.
    if (query.includes('gatehouse_revocations')) return;
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A user principal holding `scopes`, as the guard would build it from a session. */
export function user(subject: string, scopes: string[] = ['orders:read', 'orders:write', 'api-keys:manage']): Principal {
  return { kind: 'user', subject, scopes, credential: { mechanism: 'session', id: `session-of-${subject}` } };
}

/** Verifies a key that must already be cached, so the answer is synchronous. */
export function verifyCached(verifier: ApiKeyVerifier, key: string, ip?: string): Principal {
  const result = verifier.verify(key, ip);
  if (result instanceof Promise) throw new Error('expected a cached (synchronous) verification');
  return result;
}

export interface ApiKeysTestbed {
  module: TestingModule;
  clock: ManualClock;
  dataSource: DataSource;
  queries: QueryCounter;
  events: SecurityEvent[];
  close(): Promise<void>;
}

/** ApiKeysModule on an in-memory SQLite DataSource, a frozen clock and captured security events. */
export async function createApiKeysTestbed(options: ApiKeysModuleOptions = {}): Promise<ApiKeysTestbed> {
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
  const module = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: apiKeysEntities, synchronize: true }),
      GatehouseModule.forRoot({ clock }),
      ApiKeysModule.forRoot({ usageFlushTickMs: 0, ...options }),
    ],
  }).compile();
  module.useLogger(false);
  await module.init();
  const events: SecurityEvent[] = [];
  module.get(EventEmitter2).on('gatehouse.**', (event: SecurityEvent) => events.push(event));
  const dataSource = module.get(DataSource);
  return { module, clock, dataSource, queries: QueryCounter.attach(dataSource), events, close: () => module.close() };
}

/** The coded error `action` refuses with; fails the test when it succeeds or throws anything else. */
export async function refusal(action: () => unknown): Promise<GatehouseError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
