import { Catch, type ArgumentsHost } from '@nestjs/common';
import { GatehouseExceptionFilter, toErrorResponse, type ErrorBody } from '@gatehouse/core';

/** The RFC 6749 §5.2 `error` of a failure whose code has no OAuth meaning of its own, by status. */
function oauthErrorFor(body: ErrorBody, status: number): string {
  if (body.code === 'invalid_credentials') return 'invalid_grant';
  if (status === 401) return 'invalid_client';
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/**
 * Token, revocation and introspection failures as RFC 6749 §5.2 bodies: `error` and
 * `error_description` on every failure (gatehouse's `code` stays beside them), never cached.
 * Codes that have an OAuth meaning keep it; the others get the nearest §5.2 error by status.
 */
@Catch()
export class OAuthErrorFilter extends GatehouseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const { status, headers, body } = toErrorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    body.error ??= oauthErrorFor(body, status);
    body.error_description ??= body.message;
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries({ ...headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' })) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }
}
