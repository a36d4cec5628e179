import { Module } from '@nestjs/common';
import { CLIENT_CREDENTIALS_OPTIONS } from './api-keys.constants.js';
import { ClientCredentialsController } from './client-credentials.controller.js';
import { ClientCredentialsExchange } from './client-credentials.exchange.js';
import { ClientCredentialsConfigurableModule, CLIENT_CREDENTIALS_MODULE_OPTIONS } from './client-credentials.module-definition.js';
import { resolveClientCredentialsOptions, type ClientCredentialsModuleOptions } from './client-credentials-options.interface.js';

/**
 * `POST /oauth/token` (client credentials, authenticated by an API key) issuing service access
 * tokens through `@gatehouse/tokens`. Needs `ApiKeysModule` and `TokensModule` (both global by
 * default) in the app.
 *
 * @example ClientCredentialsModule.forRoot({ audiences: ['orders-api', 'billing-api'] })
 */
@Module({
  controllers: [ClientCredentialsController],
  providers: [
    {
      provide: CLIENT_CREDENTIALS_OPTIONS,
      inject: [CLIENT_CREDENTIALS_MODULE_OPTIONS],
      useFactory: (options: ClientCredentialsModuleOptions) => resolveClientCredentialsOptions(options),
    },
    ClientCredentialsExchange,
  ],
  exports: [ClientCredentialsExchange],
})
export class ClientCredentialsModule extends ClientCredentialsConfigurableModule {}
