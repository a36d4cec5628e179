import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import type { GatehouseRequest, Principal } from '@gatehouse/core';
import { API_KEY_MECHANISM, API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyVerifier } from './api-key.verifier.js';

type Verified = (error: Error | null, user?: object) => void;

/**
 * Passport strategy `api-key` (passport-headerapikey reading the configured header), for apps
 * that use `AuthGuard('api-key')` directly. It delegates to the same `ApiKeyVerifier` as the
 * guard's fast path, so both accept and refuse exactly the same keys.
 *
 * @example @UseGuards(AuthGuard('api-key')) @Get('export') export(@Req() req) { return req.user; }
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_MECHANISM) {
  constructor(
    @Inject(API_KEYS_OPTIONS) options: ResolvedApiKeysOptions,
    protected readonly verifier: ApiKeyVerifier,
  ) {
    super({ header: options.header, prefix: '' }, false);
  }

  /**
   * passport-headerapikey hands the request to its verify callback after `done`, where the Nest
   * mixin expects `done` last; bind the request here instead. Passport runs every request on its
   * own `Object.create()` of the strategy, so this assignment is per request.
   */
  override authenticate(request: GatehouseRequest, options?: object): void {
    this.verify = (apiKey: string, verified: Verified) => {
      Promise.resolve()
        .then(() => this.validate(apiKey, request))
        .then((principal) => verified(null, principal), (error: Error) => verified(error));
    };
    super.authenticate(request as never, options);
  }

  /** The principal of the presented key; a refused key throws the coded 401 `invalid_api_key`. */
  validate(apiKey: string, request: GatehouseRequest): Principal | Promise<Principal> {
    return this.verifier.verify(apiKey, request.ip);
  }
}
