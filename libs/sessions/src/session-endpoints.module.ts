import { Module, type DynamicModule } from '@nestjs/common';
import { mountController } from '@gatehouse/core';
import { AccountApiKeys } from './account-api-keys.js';
import { SessionEndpoints } from './session-endpoints.controller.js';
import { SESSION_ENDPOINTS_OPTIONS } from './session-endpoints.constants.js';
import { resolveSessionEndpointsOptions, SESSION_ROUTES, type SessionEndpointsOptions } from './session-endpoints-options.interface.js';
import { SignedInDevices } from './signed-in-devices.js';

/**
 * The session endpoints, opt-in: login, logout, CSRF token, the device list (sessions and, with
 * `@gatehouse/tokens`, refresh families), revocation of one device or all others, and password
 * change through the app's `GatehouseAccounts`. Needs `SessionsModule` and `GatehouseModule`.
 *
 * @example SessionEndpointsModule.forRoot({ paths: { changePassword: false } })
 */
@Module({})
export class SessionEndpointsModule {
  static forRoot(options: SessionEndpointsOptions = {}): DynamicModule {
    const resolved = resolveSessionEndpointsOptions(options);
    return {
      module: SessionEndpointsModule,
      controllers: [mountController(SessionEndpoints, resolved.prefix, SESSION_ROUTES, resolved.paths)],
      providers: [{ provide: SESSION_ENDPOINTS_OPTIONS, useValue: resolved }, SignedInDevices, AccountApiKeys],
      exports: [SignedInDevices],
    };
  }
}
