import { SetMetadata } from '@nestjs/common';

export const SCOPES_KEY = 'gatehouse:scopes';

/**
 * Requires every listed scope. Method metadata overrides class metadata.
 *
 * @example @Scopes('orders:read') @Get('orders') list() {}
 */
export const Scopes = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(SCOPES_KEY, scopes);
