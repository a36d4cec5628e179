import { GatehouseError } from '@gatehouse/core';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GatehouseCache, GatehouseModule, ManualClock, MechanismRegistry, SecurityEvents, type SecurityEvent } from '@gatehouse/core';
import { SessionRecord, sessionsEntities } from '../src/session.entity.js';
import { SessionService } from '../src/session.service.js';
import { SessionStore } from '../src/session-store.interface.js';
import { SessionsModule } from '../src/sessions.module.js';
import type { SessionsModuleOptions } from '../src/sessions-options.interface.js';
import { SessionVerifier } from '../src/session.verifier.js';

/** A compiled SessionsModule on an in-memory SQLite database, with a frozen clock. For unit specs. */
export interface SessionsTestContext {
  moduleRef: TestingModule;
  clock: ManualClock;
  sessions: SessionService;
  verifier: SessionVerifier;
  store: SessionStore;
  rows: Repository<SessionRecord>;
  cache: GatehouseCache;
  registry: MechanismRegistry;
  events: SecurityEvent[];
  close(): Promise<void>;
}

export const T0 = Date.parse('2026-03-01T12:00:00Z');

export async function createSessionsTestContext(options: SessionsModuleOptions = {}): Promise<SessionsTestContext> {
  const clock = new ManualClock(T0);
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: sessionsEntities, synchronize: true }),
      GatehouseModule.forRoot({ clock }),
      SessionsModule.forRoot({ purgeIntervalMs: 0, ...options }),
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  const events: SecurityEvent[] = [];
  const securityEvents = moduleRef.get(SecurityEvents);
  const emit = securityEvents.emit.bind(securityEvents);
  replaceEmit(securityEvents, (type, fields) => {
    const event = emit(type, fields);
    events.push(event);
    return event;
  });
  return {
    moduleRef,
    clock,
    sessions: moduleRef.get(SessionService),
    verifier: moduleRef.get(SessionVerifier),
    store: moduleRef.get(SessionStore),
    rows: moduleRef.get(getRepositoryToken(SessionRecord)),
    cache: moduleRef.get(GatehouseCache),
    registry: moduleRef.get(MechanismRegistry),
    events,
    close: () => moduleRef.close(),
  };
}

function replaceEmit(target: SecurityEvents, implementation: SecurityEvents['emit']): void {
  (target as { emit: SecurityEvents['emit'] }).emit = implementation;
}

/** `'ok'` when `promise` resolves, else the code of the `GatehouseError` it rejects with. */
export async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof GatehouseError) return error.code;
    throw error;
  }
}
