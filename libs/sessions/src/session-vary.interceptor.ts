import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { appendVary, type GatehouseRequest } from '@gatehouse/core';
import type { Observable } from 'rxjs';
import { ORIGIN_CHECKED } from './csrf-protection.js';

/**
 * Adds `Vary: Sec-Fetch-Site, Origin` to successful responses whose request passed the origin
 * check, so no cache serves one origin's answer to another. (Refusals carry it in their error.)
 */
@Injectable()
export class SessionVaryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const http = context.switchToHttp();
      if ((http.getRequest<GatehouseRequest>() as unknown as Record<symbol, boolean>)[ORIGIN_CHECKED]) appendVary(http.getResponse());
    }
    return next.handle();
  }
}
