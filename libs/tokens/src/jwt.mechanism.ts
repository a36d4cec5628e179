import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import {
  GATEHOUSE_OPTIONS,
  GatehouseConfigurationError,
  buildChallenge,
  errorSpec,
  MechanismRegistry,
  type CredentialMechanism,
  type GatehouseError,
  type GatehouseRequest,
  type OpenApiSecurityScheme,
  type Principal,
  type ResolvedGatehouseOptions,
} from '@gatehouse/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { IssuerTokenVerifier } from './issuer-token.verifier.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { JWT_MECHANISM, TOKENS_OPTIONS } from './tokens.constants.js';

/**
 * The bearer access-token mechanism the global guard calls directly: `Authorization: Bearer <jwt>`
 * (scheme case-insensitive, RFC 7235 §2.1), verified by `AccessTokenVerifier`, answered on failure
 * with an RFC 6750 §3 challenge. Registered with the guard when the module starts.
 */
@Injectable()
export class JwtMechanism implements CredentialMechanism, OnModuleInit {
  readonly name = JWT_MECHANISM;
  readonly ambient = false;
  private readonly bareChallenge: string;
  private readonly realm: string;
  private readonly challenges = new Map<string, string>();

  constructor(
    protected readonly verifier: AccessTokenVerifier,
    private readonly registry: MechanismRegistry,
    @Inject(GATEHOUSE_OPTIONS) gatehouseOptions: ResolvedGatehouseOptions,
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    @Optional() private readonly issuers?: IssuerTokenVerifier,
  ) {
    this.realm = gatehouseOptions.realm;
    this.bareChallenge = buildChallenge('Bearer', { realm: this.realm });
  }

  onModuleInit(): void {
    if (this.issuers?.handles(this.options.issuer)) {
      throw new GatehouseConfigurationError('IssuersModule', 'issuers', `lists "${this.options.issuer}", the issuer of this app's own tokens: remove it there`);
    }
    if (this.options.registerMechanism) this.registry.register(this);
  }

  /** The bearer token, or undefined when the request carries no `Bearer` authorization (another mechanism's turn). */
  extract(request: GatehouseRequest): string | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.length < 6) return undefined;
    // "Bearer" compared without allocating: letters OR 0x20 fold to lower case.
    if (
      (header.charCodeAt(0) | 0x20) !== 0x62 || (header.charCodeAt(1) | 0x20) !== 0x65 || (header.charCodeAt(2) | 0x20) !== 0x61 ||
      (header.charCodeAt(3) | 0x20) !== 0x72 || (header.charCodeAt(4) | 0x20) !== 0x65 || (header.charCodeAt(5) | 0x20) !== 0x72
    ) {
      return undefined;
    }
    // "Bearer" with no token (Node trims the trailing space) is a bearer credential too: refused, never skipped.
    if (header.length === 6) return '';
    if (header.charCodeAt(6) !== 0x20) return undefined;
    return header.charCodeAt(7) === 0x20 ? header.slice(7).trimStart() : header.slice(7);
  }

  /** Tokens of a third-party issuer configured in `IssuersModule` go to its verifier; all others are ours to verify. */
  authenticate(credential: string): Principal | Promise<Principal> | GatehouseError {
    // The issuer found here is handed on: the payload is decoded once per request, cached or not.
    const iss = this.issuers?.issuerOf(credential);
    if (iss !== undefined) return this.issuers!.verify(credential, iss);
    return this.verifier.check(credential);
  }

  /** OpenAPI: an HTTP bearer scheme carrying a JWT. */
  openApi(): OpenApiSecurityScheme {
    return { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };
  }

  /** `Bearer realm="…"` alone when no token was sent; with `error="invalid_token"` and a fixed description when one was refused. */
  challenge(error?: GatehouseError): string {
    if (!error) return this.bareChallenge;
    let challenge = this.challenges.get(error.code);
    if (challenge === undefined) {
      const spec = errorSpec(error.code) ?? { message: 'The access token is invalid.', oauthError: 'invalid_token' };
      const oauthError = spec.oauthError === 'invalid_token' || spec.oauthError === 'insufficient_scope' ? spec.oauthError : 'invalid_token';
      challenge = buildChallenge('Bearer', { realm: this.realm, error: oauthError, error_description: spec.message });
      this.challenges.set(error.code, challenge);
    }
    return challenge;
  }
}
