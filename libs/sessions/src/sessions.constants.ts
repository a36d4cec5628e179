/** Injection token of the resolved options (`ResolvedSessionsOptions`). */
export const SESSIONS_OPTIONS = Symbol('gatehouse:sessions:options');

/** The mechanism and passport strategy name of cookie sessions. */
export const SESSION_MECHANISM = 'session';

/** Prefix of cache keys of verified sessions: `session:<sha256 of the cookie secret>`. */
export const SESSION_CACHE_PREFIX = 'session:';

/** Prefix of revocation keys of ended sessions: `sid:<session id>` (built with core's `sessionRevocationKey`). */
export const SESSION_REVOCATION_PREFIX = 'sid:';

/** Metadata key of `@RequireRecentAuth(maxAgeSeconds)`, read by `RecentAuthGuard`. */
export const RECENT_AUTH_KEY = 'gatehouse:recent-auth';
