import { Module } from '@nestjs/common';
import { IssuerBearerMechanism } from './issuer-bearer.mechanism.js';
import { resolveIssuersOptions, type IssuersModuleOptions } from './issuer-profile.interface.js';
import { IssuerTokenVerifier } from './issuer-token.verifier.js';
import { IssuersConfigurableModule, ISSUERS_MODULE_OPTIONS } from './issuers.module-definition.js';
import { ISSUERS_OPTIONS } from './tokens.constants.js';

/**
 * Accepts access tokens of third-party identity providers (Auth0, Keycloak, Entra ID, …), one
 * profile per issuer. Alone, it is the app's `jwt` mechanism; beside `TokensModule`, the `jwt`
 * mechanism verifies its own tokens and hands the configured issuers' tokens to this module.
 *
 * @example IssuersModule.forRoot({ issuers: [{ issuer: 'https://tenant.eu.auth0.com/', jwksUrl: 'https://tenant.eu.auth0.com/.well-known/jwks.json', audience: 'https://api.example.com', scopeClaim: 'permissions' }] })
 */
@Module({
  providers: [
    { provide: ISSUERS_OPTIONS, inject: [ISSUERS_MODULE_OPTIONS], useFactory: (options: IssuersModuleOptions) => resolveIssuersOptions(options) },
    IssuerTokenVerifier,
    IssuerBearerMechanism,
  ],
  exports: [ISSUERS_OPTIONS, IssuerTokenVerifier],
})
export class IssuersModule extends IssuersConfigurableModule {}
