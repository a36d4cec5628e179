import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GATEHOUSE_GLOBAL_GUARD } from './gatehouse.constants.js';
import { GatehouseGuard } from './gatehouse.guard.js';
import type { GatehouseModuleOptions } from './gatehouse-options.interface.js';
import { ScopesGuard } from './scopes.guard.js';

/** The module-shape options of `forRoot` / `forRootAsync`, read before any provider exists. */
export interface GatehouseModuleExtras {
  /** Make the module's providers visible to every module of the app. Default `true`. */
  isGlobal: boolean;
  /**
   * Register `GatehouseGuard` and `ScopesGuard` as global guards. Default `true`. With `false` the
   * app owns the guard (`APP_GUARD` with its own subclass, or `@UseGuards(GatehouseGuard)`), and
   * the guard checks `@Scopes` itself right after authenticating, so the order still holds.
   */
  globalGuard: boolean;
}

function guardProviders(globalGuard: boolean): Provider[] {
  const providers: Provider[] = [{ provide: GATEHOUSE_GLOBAL_GUARD, useValue: globalGuard }];
  // Global guards run in this order: authenticate first, then check scopes.
  if (globalGuard) providers.push({ provide: APP_GUARD, useExisting: GatehouseGuard }, { provide: APP_GUARD, useExisting: ScopesGuard });
  return providers;
}

export const {
  ConfigurableModuleClass: GatehouseConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEHOUSE_MODULE_OPTIONS,
  OPTIONS_TYPE: GATEHOUSE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEHOUSE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatehouseModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<GatehouseModuleExtras>({ isGlobal: true, globalGuard: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...guardProviders(extras.globalGuard !== false)],
  }))
  .build();
