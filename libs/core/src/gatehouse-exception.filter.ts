import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
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

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return this.catchOutsideHttp(exception, host);
    const { status, headers, body } = toErrorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }

  /**
   * A `GatehouseError` thrown by a resolver or a message handler: GraphQL gets its refusal error,
   * a microservice client the refusal body (what an `RpcException` sends). Anything else is
   * left to the context's own handler.
   */
  private catchOutsideHttp(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (host.getType() === 'rpc' && exception instanceof GatehouseError) {
      const body = refusalBody(exception);
      return throwError(() => body);
    }
    throw contextRefusal(host, exception);
  }
}

/** Gives every error, not only `GatehouseError`, the coded JSON shape; unknown errors become a bare 500. */
@Catch()
export class HttpErrorFilter extends GatehouseExceptionFilter {}
