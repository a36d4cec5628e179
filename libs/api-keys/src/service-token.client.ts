import { SystemClock, type Clock } from '@gatehouse/core';

/** Options of a `ServiceTokenClient`. */
export interface ServiceTokenClientOptions {
  /** The token endpoint, e.g. `https://auth.internal/oauth/token`. Required. */
  tokenUrl: string;
  /** The API key this service authenticates with. Required; never logged or put in an error. */
  apiKey: string;
  /** The audience to ask for. Default: the server's default audience. */
  audience?: string;
  /** Scopes to ask for. Default: all of the key's scopes. */
  scopes?: string[];
  /** Header carrying the key. Default `'X-API-Key'`. */
  header?: string;
  /** Renew this long before the token expires, in ms. Default: a minute, or half the lifetime if shorter. */
  renewBeforeMs?: number;
  /** Give up on the token endpoint after this long, in ms. Default `10000`. */
  timeoutMs?: number;
  /** Clock for expiry decisions. Default: the system clock. */
  clock?: Clock;
  /** `fetch` implementation. Default: the global one. */
  fetch?: typeof fetch;
}

/** The token endpoint refused or failed; `error` is the OAuth error code when it sent one. */
export class ServiceTokenError extends Error {
  override readonly name = 'ServiceTokenError';

  constructor(
    readonly status: number,
    readonly error: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms at which to fetch a new one. */
  renewAt: number;
  expiresAt: number;
}

/**
 * Service-to-service calls with short-lived tokens: exchanges an API key for an access token
 * (client credentials), caches it, and fetches a new one shortly before it expires. Concurrent
 * callers share one request.
 *
 * @example
 * const tokens = new ServiceTokenClient({ tokenUrl, apiKey: process.env.ORDERS_API_KEY!, audience: 'billing-api' });
 * await fetch(url, { headers: { Authorization: await tokens.authorizationHeader() } });
 */
export class ServiceTokenClient {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ServiceTokenClientOptions) {
    if (!options.tokenUrl || !options.apiKey) throw new TypeError('ServiceTokenClient needs tokenUrl and apiKey');
    this.clock = options.clock ?? new SystemClock();
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** A valid access token, from the cache unless it is due for renewal. */
  async getToken(): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.renewAt) return this.cached.accessToken;
    this.pending ??= this.request().finally(() => (this.pending = undefined));
    const token = await this.pending;
    this.cached = token;
    return token.accessToken;
  }

  /** `Bearer <token>`, for the `Authorization` header. */
  async authorizationHeader(): Promise<string> {
    return `Bearer ${await this.getToken()}`;
  }

  /** Forgets the cached token (e.g. after a resource server answered 401), so the next call fetches one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.audience !== undefined) form.set('resource', this.options.audience);
    if (this.options.scopes !== undefined) form.set('scope', this.options.scopes.join(' '));
    const startedAt = this.clock.now();
    let response: Response;
    try {
      response = await this.fetchImpl(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', [this.options.header ?? 'X-API-Key']: this.options.apiKey },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ServiceTokenError(0, undefined, `Token endpoint unreachable: ${(error as Error).name}`);
    }
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok || typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const error = typeof body?.error === 'string' ? body.error : undefined;
      throw new ServiceTokenError(response.status, error, `Token request failed with ${response.status}${error ? ` ${error}` : ''}`);
    }
    // Count the lifetime from before the request: the token may have been minted any time after.
    const lifetimeMs = body.expires_in * 1000;
    const renewBefore = this.options.renewBeforeMs ?? Math.min(60_000, lifetimeMs / 2);
    return { accessToken: body.access_token, expiresAt: startedAt + lifetimeMs, renewAt: startedAt + lifetimeMs - renewBefore };
  }
}
