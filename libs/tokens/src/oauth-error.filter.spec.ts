import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { GatehouseError, type GatehouseErrorCode } from '@gatehouse/core';
import { OAuthErrorFilter } from './oauth-error.filter.js';

/** Runs the filter on `error`; returns the status, headers and body it replied with. */
function reply(error: unknown): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
  const adapter = {
    setHeader: (_response: unknown, name: string, value: string) => (sent.headers[name] = value),
    reply: (_response: unknown, body: Record<string, unknown>, status: number) => Object.assign(sent, { body, status }),
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => ({}) }) } as unknown as ArgumentsHost;
  const filter = new OAuthErrorFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost);
  (filter as unknown as { logger: { error(): void } }).logger = { error: () => undefined };
  filter.catch(error, host);
  return sent;
}

describe('OAuthErrorFilter', () => {
  it.each<[GatehouseErrorCode, number, string]>([
    ['invalid_grant', 400, 'invalid_grant'],
    ['refresh_token_reused', 400, 'invalid_grant'],
    ['invalid_client', 401, 'invalid_client'],
    ['invalid_credentials', 401, 'invalid_grant'],
    ['cross_site_request', 403, 'invalid_request'],
    ['validation_failed', 400, 'invalid_request'],
    ['rate_limited', 429, 'temporarily_unavailable'],
    ['service_unavailable', 503, 'temporarily_unavailable'],
  ])('%s → %i with error %s, code kept beside it', (code, status, error) => {
    const sent = reply(new GatehouseError(code));
    expect(sent.status).toBe(status);
    expect(sent.body).toMatchObject({ code, error, error_description: expect.any(String) });
    expect(sent.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });

  it('keeps challenge and retry headers, and turns an unknown error into a bare server_error', () => {
    expect(reply(new GatehouseError('invalid_client', { headers: { 'WWW-Authenticate': 'Basic realm="x"' } })).headers['WWW-Authenticate']).toBe('Basic realm="x"');
    expect(reply(new GatehouseError('rate_limited', { retryAfter: 7 })).headers['Retry-After']).toBe('7');
    const crash = reply(new Error('database password is hunter2'));
    expect(crash.status).toBe(500);
    expect(crash.body).toMatchObject({ code: 'internal_error', error: 'server_error' });
    expect(JSON.stringify(crash.body)).not.toContain('hunter2');
  });
});
