import { ConfigurableModuleBuilder, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthorizeGuard } from './authorize.guard.js';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { DECLARED_MECHANISMS, GATEHOUSE_GLOBAL_GUARD, GATEHOUSE_THROTTLER_GUARD } from './gatehouse.constants.js';
import { GatehouseGuard } from './gatehouse.guard.js';
import type { GatehouseModuleOptions } from './gatehouse-options.interface.js';
import { PrincipalEnricher } from './principal-enricher.interface.js';
import { ScopesGuard } from './scopes.guard.js';

/** Options that shape the module's providers, so they are given beside `useFactory` in `forRootAsync` too. */
export interface GatehouseModuleExtras {
  /** Make the module's providers visible to every module of the app. Default `true`. */
  isGlobal?: boolean;
  /**
   * Register `GatehouseGuard`, `GatehouseThrottlerGuard`, `ScopesGuard` and `AuthorizeGuard` as global guards. Default `true`.
   * With `false` the app owns the guard (`APP_GUARD` with its own subclass, or
   * `@UseGuards(GatehouseGuard)`), and the guard checks `@Scopes` itself right after
   * authenticating, so the order still holds.
   */
  globalGuard?: boolean;
  /** The app's own credential mechanisms (subclasses of `GatehouseMechanism`), built through DI. Default `[]`. */
  mechanisms?: Type<CredentialMechanism>[];
  /** A class every principal passes through after its mechanism verified it, to enrich or refuse it. Default: none. */
  enricher?: Type<PrincipalEnricher>;
}

function guardProviders(globalGuard: boolean): Provider[] {
  const providers: Provider[] = [{ provide: GATEHOUSE_GLOBAL_GUARD, useValue: globalGuard }];
  // Global guards run in this order: authenticate, rate-limit, check scopes, then policies.
  if (globalGuard) {
    providers.push(
      { provide: APP_GUARD, useExisting: GatehouseGuard },
      { provide: APP_GUARD, useExisting: GATEHOUSE_THROTTLER_GUARD },
      { provide: APP_GUARD, useExisting: ScopesGuard },
      { provide: APP_GUARD, useExisting: AuthorizeGuard },
    );
  }
  return providers;
}

function mechanismProviders(extras: GatehouseModuleExtras): Provider[] {
  const mechanisms = extras.mechanisms ?? [];
  const providers: Provider[] = [
    ...mechanisms,
    { provide: DECLARED_MECHANISMS, inject: mechanisms, useFactory: (...instances: CredentialMechanism[]) => instances },
  ];
  if (extras.enricher) providers.push(extras.enricher, { provide: PrincipalEnricher, useExisting: extras.enricher });
  return providers;
}

export const {
  ConfigurableModuleClass: GatehouseConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEHOUSE_MODULE_OPTIONS,
  OPTIONS_TYPE: GATEHOUSE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEHOUSE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatehouseModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<GatehouseModuleExtras>({ isGlobal: true, globalGuard: true, mechanisms: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...mechanismProviders(extras), ...guardProviders(extras.globalGuard !== false)],
  }))
  .build();
