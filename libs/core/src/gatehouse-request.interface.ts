import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal.interface.js';

/**
 * The part of an HTTP request the libraries read: the same on Express and Fastify.
 * Header names are lower case, as Node delivers them.
 */
export interface GatehouseRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
  ip?: string;
  /**
   * True on a WebSocket handshake (socket.io, ws, graphql-ws): an ambient credential (a cookie)
   * then needs an allowed `Origin`, since a handshake is a GET that CSRF checks let through.
   */
  handshake?: boolean;
  /** The body as received, when the app is created with `rawBody: true` (Express and Fastify alike). */
  rawBody?: Buffer;
  /** The connection; `remoteAddress` is the peer that connected, whatever forwarding headers say. */
  socket?: { remoteAddress?: string };
  /** Set by the guard once a credential has been verified. */
  principal?: Principal;
  /** Mirrors `principal`, for code written against passport's `req.user`. */
  user?: unknown;
}

/** Reads one header as a single string; a repeated header yields undefined (ambiguous input). */
export function readHeader(request: GatehouseRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The request of an HTTP execution context: what `context.switchToHttp().getRequest()` returns,
 * without the three closures Nest's `switchToHttp()` assigns to the context on every call (the
 * guards and `@CurrentPrincipal()` run on every request).
 */
export function httpRequestOf<T = GatehouseRequest>(context: ExecutionContext): T {
  return context.getArgByIndex<T>(0);
}
