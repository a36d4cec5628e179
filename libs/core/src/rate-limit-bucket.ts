import type { Principal } from './principal.interface.js';

/** The rate-limit policy and bucket a principal's requests count against. */
export interface RateLimitBucket {
  policy: 'api-key' | 'user';
  key: string;
}

/** `sid` prefix of service tokens exchanged from an API key (see `@gatehouse/api-keys`). */
const API_KEY_SESSION_PREFIX = 'api-key:';

/**
 * Where a principal's requests are counted:
 * - an API key, and every service token exchanged from it (their `sid` names the key), share
 *   `api-key:<key id>`, so swapping a key for tokens buys no extra requests;
 * - a user shares `user:<subject>` across every access token and session they hold;
 * - other service principals count per subject, under the API-key policy.
 *
 * @example rateLimitBucketOf(principal) // { policy: 'api-key', key: 'api-key:8f1c…' }
 */
export function rateLimitBucketOf(principal: Principal): RateLimitBucket {
  if (principal.kind === 'api-key') return { policy: 'api-key', key: `${API_KEY_SESSION_PREFIX}${principal.credential.id}` };
  if (principal.kind === 'user') return { policy: 'user', key: `user:${principal.subject}` };
  const session = principal.credential.sessionId;
  if (session?.startsWith(API_KEY_SESSION_PREFIX)) return { policy: 'api-key', key: session };
  return { policy: 'api-key', key: `service:${principal.subject}` };
}
