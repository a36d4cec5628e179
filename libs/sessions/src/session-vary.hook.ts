import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { appendVary } from '@gatehouse/core';
import { ORIGIN_CHECKED } from './csrf-protection.js';

/** The part of a Fastify instance this hook needs (no Fastify types in the library). */
interface HookableServer {
  addHook(name: 'onSend', hook: (request: object, reply: unknown, payload: unknown, done: (error: null, payload: unknown) => void) => void): unknown;
}

/**
 * Adds `Vary: Sec-Fetch-Site, Origin` to successful responses whose request went through the
 * origin check. Refusals carry it in their error; on Express `CsrfProtection` writes it through
 * the request's `res`; Fastify requests have no link to their reply, so this registers an
 * `onSend` hook there. (A Nest interceptor would do both, but costs every route of the app ~20 µs.)
 */
@Injectable()
export class SessionVaryHook implements OnModuleInit {
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  onModuleInit(): void {
    const server = this.adapterHost?.httpAdapter?.getInstance?.() as Partial<HookableServer> | undefined;
    if (typeof server?.addHook !== 'function') return;
    server.addHook('onSend', (request, reply, payload, done) => {
      if ((request as Record<symbol, unknown>)[ORIGIN_CHECKED]) appendVary(reply);
      done(null, payload);
    });
  }
}
