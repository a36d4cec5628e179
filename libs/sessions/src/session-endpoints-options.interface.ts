import { RequestMethod } from '@nestjs/common';
import { GatehouseConfigurationError, type EndpointPath, type EndpointRoute } from '@gatehouse/core';

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

/** Options with every default applied. */
export interface ResolvedSessionEndpointsOptions {
  prefix: string;
  paths: Partial<Record<SessionEndpointName, EndpointPath>>;
  minPasswordLength: number;
}

/** Applies the defaults and rejects unusable values at start-up. */
export function resolveSessionEndpointsOptions(options: SessionEndpointsOptions = {}): ResolvedSessionEndpointsOptions {
  const minPasswordLength = options.minPasswordLength ?? 12;
  if (!Number.isInteger(minPasswordLength) || minPasswordLength < 8 || minPasswordLength > 256) {
    throw new GatehouseConfigurationError('SessionEndpointsModule', 'minPasswordLength', 'must be an integer from 8 to 256');
  }
  for (const name of Object.keys(options.paths ?? {})) {
    if (!(name in SESSION_ROUTES)) throw new GatehouseConfigurationError('SessionEndpointsModule', `paths.${name}`, 'is not an endpoint of this module');
  }
  return { prefix: options.prefix ?? 'auth', paths: { ...options.paths }, minPasswordLength };
}
