import { Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CsrfProtection } from './csrf-protection.js';
import { OriginCheckGuard } from './origin-check.guard.js';
import { RecentAuthGuard } from './recent-auth.guard.js';
import { SessionRecord } from './session.entity.js';
import { SessionMechanism } from './session.mechanism.js';
import { SessionService } from './session.service.js';
import { SessionStrategy } from './session.strategy.js';
import { SessionVerifier } from './session.verifier.js';
import { SessionCookie } from './session-cookie.js';
import { SessionPurger } from './session-purger.js';
import { SessionRevocations } from './session-revocations.js';
import { SessionStore } from './session-store.interface.js';
import { SessionVaryHook } from './session-vary.hook.js';
import { SESSIONS_OPTIONS } from './sessions.constants.js';
import { SESSIONS_MODULE_OPTIONS, SessionsConfigurableModule } from './sessions.module-definition.js';
import { resolveSessionsOptions, type SessionsModuleOptions } from './sessions-options.interface.js';
import { TypeOrmSessionStore } from './typeorm-session.store.js';

const providers: Provider[] = [
  {
    provide: SESSIONS_OPTIONS,
    inject: [SESSIONS_MODULE_OPTIONS],
    useFactory: (options: SessionsModuleOptions) => resolveSessionsOptions(options),
  },
  TypeOrmSessionStore,
  { provide: SessionStore, useExisting: TypeOrmSessionStore },
  SessionRevocations,
  SessionVerifier,
  SessionService,
  SessionCookie,
  CsrfProtection,
  SessionMechanism,
  SessionStrategy,
  SessionPurger,
  RecentAuthGuard,
  OriginCheckGuard,
  SessionVaryHook,
];

/**
 * Cookie sessions for the global guard: import after `GatehouseModule`, and add
 * `sessionsEntities` to the app's TypeORM entities.
 *
 * @example SessionsModule.forRoot({ allowedOrigins: ['https://app.example.com'] })
 */
@Module({
  imports: [TypeOrmModule.forFeature([SessionRecord])],
  providers,
  exports: [SESSIONS_OPTIONS, SessionStore, SessionService, SessionCookie, CsrfProtection, SessionMechanism, SessionVerifier, RecentAuthGuard, OriginCheckGuard],
})
export class SessionsModule extends SessionsConfigurableModule {}
