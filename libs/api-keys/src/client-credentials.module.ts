import { Module } from '@nestjs/common';
import { CLIENT_CREDENTIALS_OPTIONS } from './api-keys.constants.js';
import { ClientCredentialsController } from './client-credentials.controller.js';
import { OAuthClients } from '@gatehouse/tokens';
import { ApiKeyOAuthClients } from './api-key-oauth-clients.js';
import { ClientCredentialsExchange } from './client-credentials.exchange.js';
import { ClientCredentialsConfigurableModule, CLIENT_CREDENTIALS_MODULE_OPTIONS } from './client-credentials.module-definition.js';
import { resolveClientCredentialsOptions, type ClientCredentialsModuleOptions } from './client-credentials-options.interface.js';

/**
 * `POST /oauth/token` (client credentials, authenticated by an API key, and the refresh grant)
 * issuing access tokens through `@gatehouse/tokens`; API keys become the `OAuthClients` that the
 * token endpoints' revocation and introspection authenticate. Needs `ApiKeysModule` and `TokensModule` (both global by
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
    ApiKeyOAuthClients,
    { provide: OAuthClients, useExisting: ApiKeyOAuthClients },
    ClientCredentialsExchange,
  ],
  exports: [ClientCredentialsExchange, ApiKeyOAuthClients, OAuthClients],
})
export class ClientCredentialsModule extends ClientCredentialsConfigurableModule {}
