import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { contextPeersLoaded, loadContextPeers } from './context-peers.js';
import { contextRefusal, refusalBody } from './context-refusal.js';
import { toErrorResponse } from './error-response.js';
import { GatehouseError } from './gatehouse.error.js';

/**
 * Writes errors as coded JSON (`{statusCode, code, message}`) with the right challenge and
 * retry headers, on Express and Fastify alike. Registered globally for `GatehouseError` by
 * `GatehouseModule`; register `HttpErrorFilter` to give every other error the same shape.
 */
@Catch(GatehouseError)
export class GatehouseExceptionFilter implements ExceptionFilter {
  protected readonly logger = new Logger('Gatehouse');

  constructor(protected readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> | Promise<never> {
    if (host.getType() !== 'http') return this.catchOutsideHttp(exception, host);
    const { status, headers, body } = toErrorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }

  /**
   * Outside HTTP. GraphQL gets the refusal error of a `GatehouseError` (anything else goes on to
   * the GraphQL server). A microservice client gets the refusal body (what an `RpcException`
   * sends), an `RpcException`'s own error, or, for anything else, a bare `internal_error`: a
   * filter that threw here would leave the client waiting for an answer that never comes.
   */
  private catchOutsideHttp(exception: unknown, host: ArgumentsHost): Observable<never> | Promise<never> {
    if (host.getType() !== 'rpc') {
      // A handler with no guarded request before it: the GraphQL error class may still be loading.
      if (!contextPeersLoaded() && exception instanceof GatehouseError) {
        return loadContextPeers().then(() => Promise.reject(contextRefusal(host, exception)));
      }
      throw contextRefusal(host, exception);
    }
    if (exception instanceof GatehouseError) {
      const body = refusalBody(exception);
      return throwError(() => body);
    }
    const own = (exception as { getError?(): unknown } | null)?.getError;
    if (typeof own === 'function') {
      const error: unknown = own.call(exception);
      return throwError(() => (typeof error === 'object' && error !== null ? error : { status: 'error', message: error }));
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const body = refusalBody(new GatehouseError('internal_error'));
    return throwError(() => body);
  }
}

/** Gives every error, not only `GatehouseError`, the coded JSON shape; unknown errors become a bare 500. */
@Catch()
export class HttpErrorFilter extends GatehouseExceptionFilter {}
