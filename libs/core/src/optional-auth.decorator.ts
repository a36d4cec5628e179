import { SetMetadata } from '@nestjs/common';

export const OPTIONAL_AUTH_KEY = 'gatehouse:optional-auth';

/**
 * Serves anonymous callers too: with no credential the handler runs without a principal; a valid
 * credential attaches its principal; a present but invalid one is still a 401.
 *
 * @example @OptionalAuth() @Get('catalogue') list(@CurrentPrincipal() principal?: Principal) {}
 */
export const OptionalAuth = (): MethodDecorator & ClassDecorator => SetMetadata(OPTIONAL_AUTH_KEY, true);
