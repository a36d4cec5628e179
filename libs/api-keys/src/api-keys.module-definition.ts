import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApiKeysModuleOptions } from './api-keys-options.interface.js';

export const {
  ConfigurableModuleClass: ApiKeysConfigurableModule,
  MODULE_OPTIONS_TOKEN: API_KEYS_MODULE_OPTIONS,
  OPTIONS_TYPE: API_KEYS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: API_KEYS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApiKeysModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
