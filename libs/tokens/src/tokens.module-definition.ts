import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TokensModuleOptions } from './tokens-options.interface.js';

export const {
  ConfigurableModuleClass: TokensConfigurableModule,
  MODULE_OPTIONS_TOKEN: TOKENS_MODULE_OPTIONS,
  OPTIONS_TYPE: TOKENS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TOKENS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TokensModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
