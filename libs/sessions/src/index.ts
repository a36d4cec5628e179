// The public API of @gatehouse/sessions. Internals stay unexported; tests reach them through
// @gatehouse/sessions/testing (not covered by semver). A surface test pins this list.

// Module, options and entities.
export { SessionsModule } from './sessions.module.js';
export { SESSIONS_ASYNC_OPTIONS_TYPE, SESSIONS_OPTIONS_TYPE } from './sessions.module-definition.js';
export { resolveSessionsOptions, type ResolvedSessionsOptions, type SessionsModuleOptions } from './sessions-options.interface.js';
export { SessionRecord, sessionsEntities } from './session.entity.js';
export { sessionsMigrations } from './migrations/index.js';

// Services apps call.
export { SessionService, type RotateSessionChanges } from './session.service.js';
export type { ActiveSession, IssuedSession, SessionEndReason, SessionMeta, SessionView } from './session.interfaces.js';
export { SessionCookie, type SessionCookieValue } from './session-cookie.js';
export { sessionMetaFrom } from './session-meta.js';
export { SessionPurger } from './session-purger.js';
export { SessionRevocations } from './session-revocations.js';

// Mechanism and passport strategies.
export { SessionMechanism } from './session.mechanism.js';
export { SessionVerifier } from './session.verifier.js';
export { SessionStrategy } from './session.strategy.js';
export { SessionCookieStrategy, type SessionCookieVerify } from './session-cookie.strategy.js';

// CSRF, origin checks and recent authentication.
export { CsrfProtection } from './csrf-protection.js';
export { OriginCheckGuard } from './origin-check.guard.js';
export { SessionVaryHook } from './session-vary.hook.js';
export { RequireRecentAuth } from './require-recent-auth.decorator.js';
export { RecentAuthGuard } from './recent-auth.guard.js';

// Endpoints: module, options, handlers and the services behind them.
export { SessionEndpointsModule } from './session-endpoints.module.js';
export { SESSION_ROUTES, type SessionEndpointName, type SessionEndpointsOptions } from './session-endpoints-options.interface.js';
export { SessionEndpoints, type PasswordChangeResponse } from './session-endpoints.controller.js';
export { SignedInDevices, type DeviceView } from './signed-in-devices.js';
export { AccountApiKeys, type ApiKeysAfterPasswordChange, type SettledApiKey } from './account-api-keys.js';

// Ports (interface plus same-name Symbol token) and their implementations.
export { SessionStore, type SessionSelector } from './session-store.interface.js';
export { TypeOrmSessionStore } from './typeorm-session.store.js';

// Constants and injection tokens.
export { SESSION_CACHE_PREFIX, SESSION_MECHANISM, SESSION_REVOCATION_PREFIX, SESSIONS_OPTIONS } from './sessions.constants.js';
