import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ClientCredentialsModuleOptions } from './client-credentials-options.interface.js';

export const {
  ConfigurableModuleClass: ClientCredentialsConfigurableModule,
  MODULE_OPTIONS_TOKEN: CLIENT_CREDENTIALS_MODULE_OPTIONS,
  OPTIONS_TYPE: CLIENT_CREDENTIALS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CLIENT_CREDENTIALS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ClientCredentialsModuleOptions>().setClassMethodName('forRoot').build();
