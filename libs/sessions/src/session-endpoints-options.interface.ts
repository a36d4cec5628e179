import { RequestMethod } from '@nestjs/common';
import { GatehouseConfigurationError, withDefaults, type EndpointPath, type EndpointRoute } from '@gatehouse/core';

/** The session endpoints, their methods and default paths under the prefix. */
export const SESSION_ROUTES = {
  login: { method: RequestMethod.POST, path: 'login' },
  logout: { method: RequestMethod.POST, path: 'logout' },
  csrf: { method: RequestMethod.GET, path: 'csrf' },
  devicesList: { method: RequestMethod.GET, path: 'sessions' },
  // Before `sessions/:id`, so the literal path is never taken for an id.
  revokeOthers: { method: RequestMethod.POST, path: 'sessions/revoke-others' },
  deviceRevoke: { method: RequestMethod.DELETE, path: 'sessions/:id' },
  changePassword: { method: RequestMethod.POST, path: 'password' },
} as const satisfies Record<string, EndpointRoute>;

/** One of the session endpoints. */
export type SessionEndpointName = keyof typeof SESSION_ROUTES;

/** Options of `SessionEndpointsModule.forRoot`. Every field is optional. */
export interface SessionEndpointsOptions {
  /** Path prefix of every endpoint (or `''` to mount them with `RouterModule`). Default `'auth'`. */
  prefix?: string;
  /** Per endpoint: another path under the prefix, or `false` to leave it out. Default: every endpoint at its default path. */
  paths?: Partial<Record<SessionEndpointName, EndpointPath>>;
  /** Shortest new password `POST /auth/password` accepts. Default `12`. */
  minPasswordLength?: number;
}

/** Every default of `SessionEndpointsOptions` (no path overridden), each written here only. */
export const SESSION_ENDPOINTS_DEFAULTS = {
  prefix: 'auth',
  paths: {},
  minPasswordLength: 12,
} satisfies Required<SessionEndpointsOptions>;

/** Options with every default applied. */
export type ResolvedSessionEndpointsOptions = Required<SessionEndpointsOptions>;

/** Applies the defaults and rejects unusable values at start-up. */
export function resolveSessionEndpointsOptions(options: SessionEndpointsOptions = {}): ResolvedSessionEndpointsOptions {
  const { prefix, paths, minPasswordLength } = withDefaults(SESSION_ENDPOINTS_DEFAULTS, options);
  if (!Number.isInteger(minPasswordLength) || minPasswordLength < 8 || minPasswordLength > 256) {
    throw new GatehouseConfigurationError('SessionEndpointsModule', 'minPasswordLength', 'must be an integer from 8 to 256');
  }
  for (const name of Object.keys(paths)) {
    if (!(name in SESSION_ROUTES)) throw new GatehouseConfigurationError('SessionEndpointsModule', `paths.${name}`, 'is not an endpoint of this module');
  }
  return { prefix, paths: { ...paths }, minPasswordLength };
}
