import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  GATEHOUSE_OPTIONS,
  MechanismRegistry,
  buildChallenge,
  type CredentialMechanism,
  type GatehouseError,
  type GatehouseRequest,
  type OpenApiSecurityScheme,
  type Principal,
  type ResolvedGatehouseOptions,
} from '@gatehouse/core';
import { API_KEY_MECHANISM, API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import { clientIp } from './client-ip.js';

/**
 * The `api-key` credential mechanism for `GatehouseGuard`: the key comes from the API-key header
 * (`X-API-Key` by default) and is checked by `ApiKeyVerifier`. Not ambient: a browser never sends
 * it by itself, so requests carrying it need no CSRF token. Routes opt in with `@ApiKeyAuth()`.
 */
@Injectable()
export class ApiKeyMechanism implements CredentialMechanism, OnModuleInit {
  readonly name = API_KEY_MECHANISM;
  readonly ambient = false;
  private builtChallenge: string | undefined;

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    protected readonly verifier: ApiKeyVerifier,
    protected readonly registry: MechanismRegistry,
    @Inject(GATEHOUSE_OPTIONS) protected readonly gatehouse: ResolvedGatehouseOptions,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  extract(request: GatehouseRequest): string | undefined {
    const value = request.headers[this.options.header];
    if (value === undefined || typeof value === 'string') return value;
    // A repeated header (an array) is present but ambiguous: it must still fail, as an empty key.
    return '';
  }

  /**
   * There is no registered HTTP scheme for API keys; a 401 still names how to authenticate
   * (RFC 9110 §11.6.1), in the form most API gateways use.
   */
  challenge(): string {
    // Built once: every refused key carries it.
    this.builtChallenge ??= buildChallenge('ApiKey', { realm: this.gatehouse.realm, header: this.options.header });
    return this.builtChallenge;
  }

  /** OpenAPI: an API key in the configured header. */
  openApi(): OpenApiSecurityScheme {
    return { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: this.options.header } };
  }

  authenticate(credential: string, request: GatehouseRequest): Principal | Promise<Principal> | GatehouseError {
    return this.verifier.check(credential, clientIp(request));
  }
}
