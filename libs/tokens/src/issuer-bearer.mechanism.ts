import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  GATEHOUSE_OPTIONS,
  MechanismRegistry,
  buildChallenge,
  readHeader,
  type CredentialMechanism,
  type GatehouseError,
  type GatehouseRequest,
  type OpenApiSecurityScheme,
  type Principal,
  type ResolvedGatehouseOptions,
} from '@gatehouse/core';
import { IssuerTokenVerifier } from './issuer-token.verifier.js';
import { JWT_MECHANISM } from './tokens.constants.js';

/**
 * The `jwt` mechanism of a resource server that accepts only third-party tokens (no
 * `TokensModule`): registered when the app starts if no other `jwt` mechanism is. With
 * `TokensModule` imported, its own `jwt` mechanism hands tokens of the configured issuers to
 * `IssuerTokenVerifier` instead.
 */
@Injectable()
export class IssuerBearerMechanism implements CredentialMechanism, OnApplicationBootstrap {
  readonly name = JWT_MECHANISM;
  readonly ambient = false;

  constructor(
    private readonly verifier: IssuerTokenVerifier,
    private readonly registry: MechanismRegistry,
    @Inject(GATEHOUSE_OPTIONS) private readonly gatehouse: ResolvedGatehouseOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.registry.has(JWT_MECHANISM)) this.registry.register(this);
  }

  /** `Authorization: Bearer <token>` (scheme case-insensitive); a bare `Bearer` is a present, empty credential. */
  extract(request: GatehouseRequest): string | undefined {
    const header = readHeader(request, 'authorization');
    if (header === undefined || !/^bearer(?: |$)/i.test(header)) return undefined;
    return header.slice(7).trim();
  }

  authenticate(credential: string): Promise<Principal> {
    return this.verifier.verify(credential);
  }

  openApi(): OpenApiSecurityScheme {
    return { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };
  }

  challenge(error?: GatehouseError): string {
    return buildChallenge('Bearer', { realm: this.gatehouse.realm, error: error ? 'invalid_token' : undefined });
  }
}
