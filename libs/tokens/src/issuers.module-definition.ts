import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { IssuersModuleOptions } from './issuer-profile.interface.js';

export const {
  ConfigurableModuleClass: IssuersConfigurableModule,
  MODULE_OPTIONS_TOKEN: ISSUERS_MODULE_OPTIONS,
  OPTIONS_TYPE: ISSUERS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ISSUERS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IssuersModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
