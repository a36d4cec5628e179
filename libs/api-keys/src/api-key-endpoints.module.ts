import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { GatehouseConfigurationError, mountController, Scopes, type EndpointPath, type EndpointRoute } from '@gatehouse/core';
import { ApiKeyEndpoints } from './api-key-endpoints.controller.js';

/** The key management endpoints, their methods and default paths under the prefix. */
export const API_KEY_ROUTES = {
  create: { method: RequestMethod.POST, path: '' },
  list: { method: RequestMethod.GET, path: '' },
  get: { method: RequestMethod.GET, path: ':id' },
  rotate: { method: RequestMethod.POST, path: ':id/rotate' },
  revoke: { method: RequestMethod.DELETE, path: ':id' },
} as const satisfies Record<string, EndpointRoute>;

/** One of the key management endpoints. */
export type ApiKeyEndpointName = keyof typeof API_KEY_ROUTES;

/** Options of `ApiKeyEndpointsModule.forRoot`. Every field is optional. */
export interface ApiKeyEndpointsOptions {
  /** Path prefix of every endpoint (or `''` to mount them with `RouterModule`). Default `'api-keys'`. */
  prefix?: string;
  /** Per endpoint: another path under the prefix, or `false` to leave it out. Default: all of them. */
  paths?: Partial<Record<ApiKeyEndpointName, EndpointPath>>;
  /** Scope the caller's credential must hold, or `false` for none beyond being the account holder. Default `'api-keys:manage'`. */
  scope?: string | false;
}

/**
 * API-key management for the account holder: create, list, read, rotate, revoke. Needs
 * `ApiKeysModule`; the app's `GatehouseAccounts` answers which scopes the account holds.
 *
 * @example ApiKeyEndpointsModule.forRoot({ paths: { rotate: false } })
 */
@Module({})
export class ApiKeyEndpointsModule {
  static forRoot(options: ApiKeyEndpointsOptions = {}): DynamicModule {
    for (const name of Object.keys(options.paths ?? {})) {
      if (!(name in API_KEY_ROUTES)) throw new GatehouseConfigurationError('ApiKeyEndpointsModule', `paths.${name}`, 'is not an endpoint of this module');
    }
    const controller = mountController(ApiKeyEndpoints, options.prefix ?? 'api-keys', API_KEY_ROUTES, options.paths);
    const scope = options.scope ?? 'api-keys:manage';
    if (scope !== false) Scopes(scope)(controller);
    return { module: ApiKeyEndpointsModule, controllers: [controller] };
  }
}
