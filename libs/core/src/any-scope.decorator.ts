import { SetMetadata } from '@nestjs/common';

export const ANY_SCOPE_KEY = 'gatehouse:any-scope';

/**
 * Requires at least one of the listed scopes (`@Scopes` requires all of its own). Both may apply
 * to one route. Method metadata overrides class metadata.
 *
 * @example @AnyScope('orders:read', 'orders:admin') @Get('orders') list() {}
 */
export const AnyScope = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(ANY_SCOPE_KEY, scopes);
