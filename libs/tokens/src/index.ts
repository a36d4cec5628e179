// The public API of @gatehouse/tokens. Internals stay unexported; tests reach them through
// @gatehouse/tokens/testing (not covered by semver). A surface test pins this list.

// Module, options and entities.
export { TokensModule } from './tokens.module.js';
export { TOKENS_ASYNC_OPTIONS_TYPE, TOKENS_OPTIONS_TYPE } from './tokens.module-definition.js';
export type { TokensModuleOptions } from './tokens-options.interface.js';
export { resolveTokensOptions, TokensConfigurationError, type ResolvedTokensOptions } from './resolve-tokens-options.js';
export { tokensEntities } from './tokens.entities.js';
export { RefreshFamily } from './refresh-family.entity.js';
export { RefreshToken } from './refresh-token.entity.js';
export { tokensMigrations } from './migrations/index.js';

// Services apps call.
export { AccessTokenIssuer, type AccessTokenInput, type IssuedAccessToken } from './access-token.issuer.js';
export { AccessTokenVerifier } from './access-token.verifier.js';
export { TokenGrants, toTokenResponse, type TokenPair, type TokenResponseBody } from './token-grants.service.js';
export { RefreshFamilies, type ActiveRefreshFamily, type RefreshGrant, type RefreshMeta } from './refresh-families.service.js';
export { RefreshCookie } from './refresh-cookie.js';
export { JwksDocumentProvider } from './jwks-document.provider.js';
export { KeyRing, type JwksDocument } from './key-ring.js';
export { RefreshPurgeScheduler } from './refresh-purge.scheduler.js';

// Mechanism and passport strategies.
export { JwtMechanism } from './jwt.mechanism.js';
export { JoseBearerStrategy, JwtStrategy } from './jwt.strategy.js';

// Endpoints: module, options, controllers and the helpers their subclasses use.
export { TokenEndpointsModule } from './token-endpoints.module.js';
export type { TokenEndpointsOptions } from './token-endpoints-options.interface.js';
export { SignInController } from './sign-in.controller.js';
export { RefreshController, refreshWith } from './refresh.controller.js';
export { SignOutController } from './sign-out.controller.js';
export { RevocationController } from './revocation.controller.js';
export { IntrospectionController, type IntrospectionResponse } from './introspection.controller.js';
export { JwksController } from './jwks.controller.js';
export { AuthorizationServerMetadataController, type AuthorizationServerMetadata } from './authorization-server-metadata.controller.js';
export { SIGN_IN_ROUTE, TokenEndpointContext, type RefreshDelivery } from './token-endpoint.context.js';
export { readOAuthParameters, type OAuthParameters } from './oauth-parameters.js';
export { OAuthErrorFilter } from './oauth-error.filter.js';

// Trusted external issuers.
export { IssuersModule } from './issuers.module.js';
export { ISSUERS_ASYNC_OPTIONS_TYPE, ISSUERS_OPTIONS_TYPE } from './issuers.module-definition.js';
export type {
  IssuerAlgorithm,
  IssuerProfile,
  IssuersModuleOptions,
  ResolvedIssuerProfile,
  ResolvedIssuersOptions,
  ScopeClaim,
} from './issuer-profile.interface.js';
export { IssuerBearerMechanism } from './issuer-bearer.mechanism.js';
export { IssuerTokenVerifier } from './issuer-token.verifier.js';

// Signing keys and key files.
export {
  ensureKeyFile,
  ensureSecretFile,
  readKeyFile,
  rotateKeyFile,
  writeKeyFile,
  type KeyFileContents,
  type KeyFileRotation,
} from './key-file.js';
export {
  generateSigningKey,
  importSigningKey,
  type PublicSigningJwk,
  type SigningAlgorithm,
  type SigningKey,
  type SigningKeyJwk,
} from './signing-key.js';

// Ports (interface plus same-name Symbol token) and their implementations.
export {
  RefreshTokenStore,
  type FamilyTouch,
  type RefreshFamilyRecord,
  type RefreshTokenRecord,
  type SpendOutcome,
} from './refresh-token-store.interface.js';
export { TypeOrmRefreshTokenStore } from './typeorm-refresh-token.store.js';
export { OAuthClients, type ClientAuthenticationParameters } from './oauth-clients.port.js';

// Constants and injection tokens.
export {
  ACCESS_TOKEN_TYPE,
  ISSUERS_OPTIONS,
  JWT_MECHANISM,
  KIND_CLAIM,
  sessionRevocationKey,
  subjectRevocationKey,
  TOKEN_ENDPOINTS_OPTIONS,
  tokenRevocationKey,
  TOKENS_OPTIONS,
} from './tokens.constants.js';
export { issuerSessionRevocationKey, issuerSubjectRevocationKey } from './issuer-revocation-keys.js';
