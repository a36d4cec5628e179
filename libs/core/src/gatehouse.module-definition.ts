import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatehouseModuleOptions } from './gatehouse-options.interface.js';

export const {
  ConfigurableModuleClass: GatehouseConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEHOUSE_MODULE_OPTIONS,
  OPTIONS_TYPE: GATEHOUSE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEHOUSE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatehouseModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
