import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { KeyRing, type JwksDocument } from './key-ring.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { TOKENS_OPTIONS } from './tokens.constants.js';

/**
 * The public JWKS to serve at `GET /.well-known/jwks.json`, with its `Cache-Control`. Every key
 * that may still verify is listed (the active one, configured verify-only ones, retiring ones), so
 * a resource server caching it never misses the key of a live token.
 *
 * @example @Public() @Get('.well-known/jwks.json') jwks(@Res({ passthrough: true }) res) { res.header('Cache-Control', jwks.cacheControl); return jwks.document(); }
 */
@Injectable()
export class JwksDocumentProvider {
  /** `public, max-age=<jwksMaxAgeMs in seconds>`: short enough that a newly published key spreads before it signs. */
  readonly cacheControl: string;

  constructor(
    private readonly keyRing: KeyRing,
    @Inject(TOKENS_OPTIONS) options: ResolvedTokensOptions,
  ) {
    this.cacheControl = `public, max-age=${Math.floor(options.jwksMaxAgeMs / 1000)}`;
  }

  private last: { body: string; etag: string } | undefined;

  document(): JwksDocument {
    return this.keyRing.jwks();
  }

  /** The document as the exact bytes to send, with its strong `ETag` (a hash of those bytes). */
  serialized(): { body: string; etag: string } {
    const body = JSON.stringify(this.document());
    if (this.last?.body !== body) this.last = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    return this.last;
  }
}
