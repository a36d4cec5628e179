import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { contextPrincipalOf } from './execution-context.seam.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';

/**
 * Injects the authenticated `Principal` (or one of its fields) into a handler parameter: an HTTP
 * route, a GraphQL resolver, a gateway's message handler or a microservice's message handler.
 *
 * @example me(@CurrentPrincipal() principal: Principal) {}
 * @example list(@CurrentPrincipal('subject') userId: string) {}
 */
export const CurrentPrincipal = createParamDecorator(
  (field: keyof Principal | undefined, context: ExecutionContext): unknown => {
    const principal = context.getType() === 'http' ? httpRequestOf(context).principal : contextPrincipalOf(context);
    return field && principal ? principal[field] : principal;
  },
);
