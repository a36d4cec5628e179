import { ConfigurableModuleBuilder, type Provider, type Type } from '@nestjs/common';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { DECLARED_MECHANISMS } from './gatehouse.constants.js';
import type { GatehouseModuleOptions } from './gatehouse-options.interface.js';
import { PrincipalEnricher } from './principal-enricher.interface.js';

/** Options that shape the module's providers, so they are given beside `useFactory` in `forRootAsync` too. */
export interface GatehouseModuleExtras {
  /** Make the module global. Default `true`. */
  isGlobal?: boolean;
  /** The app's own credential mechanisms (subclasses of `GatehouseMechanism`), built through DI. Default `[]`. */
  mechanisms?: Type<CredentialMechanism>[];
  /** A class every principal passes through after its mechanism verified it, to enrich or refuse it. Default: none. */
  enricher?: Type<PrincipalEnricher>;
}

export const {
  ConfigurableModuleClass: GatehouseConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEHOUSE_MODULE_OPTIONS,
  OPTIONS_TYPE: GATEHOUSE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEHOUSE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatehouseModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<GatehouseModuleExtras>({ isGlobal: true, mechanisms: [] }, (definition, extras) => {
    const mechanisms = extras.mechanisms ?? [];
    const providers: Provider[] = [
      ...mechanisms,
      { provide: DECLARED_MECHANISMS, inject: mechanisms, useFactory: (...instances: CredentialMechanism[]) => instances },
    ];
    if (extras.enricher) providers.push(extras.enricher, { provide: PrincipalEnricher, useExisting: extras.enricher });
    return { ...definition, global: extras.isGlobal, providers: [...(definition.providers ?? []), ...providers] };
  })
  .build();
