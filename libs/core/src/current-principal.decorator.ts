import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { httpRequestOf } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';

/**
 * Injects the authenticated `Principal` (or one of its fields) into a handler parameter.
 *
 * @example me(@CurrentPrincipal() principal: Principal) {}
 * @example list(@CurrentPrincipal('subject') userId: string) {}
 */
export const CurrentPrincipal = createParamDecorator(
  (field: keyof Principal | undefined, context: ExecutionContext): unknown => {
    const principal = httpRequestOf(context).principal;
    return field && principal ? principal[field] : principal;
  },
);
