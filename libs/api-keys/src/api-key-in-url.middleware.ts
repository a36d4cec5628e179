import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { GatehouseError } from '@gatehouse/core';
import { API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { apiKeyPattern } from './api-key.format.js';
import { findsApiKeyInUrl } from './api-key-in-url.js';

/** The part of Express's `req` and Fastify's raw request this middleware reads. */
interface UrlCarrier {
  url?: string;
  originalUrl?: string;
}

/**
 * Refuses every request whose URL carries an API key with 400 `api_key_in_url` (ASVS 14.2.1):
 * URLs end up in proxy logs, browser history and `Referer` headers, so a key sent there is
 * treated as leaked, never silently accepted. Runs as middleware, before any guard, on every
 * route (unknown paths too), on Express and Fastify alike. The key itself is masked in logs by
 * the secret pattern the module registers with `registerSecretPattern`.
 */
@Injectable()
export class ApiKeyInUrlMiddleware implements NestMiddleware {
  private readonly pattern: RegExp;
  private readonly parameterNames: ReadonlySet<string>;

  constructor(@Inject(API_KEYS_OPTIONS) options: ResolvedApiKeysOptions) {
    this.pattern = apiKeyPattern(options.acceptedPrefixes);
    this.parameterNames = new Set(options.urlParameters.map((name) => name.toLowerCase()));
  }

  use(request: UrlCarrier, _response: unknown, next: (error?: unknown) => void): void {
    const url = request.originalUrl ?? request.url ?? '';
    if (findsApiKeyInUrl(url, this.pattern, this.parameterNames)) throw new GatehouseError('api_key_in_url');
    next();
  }
}
