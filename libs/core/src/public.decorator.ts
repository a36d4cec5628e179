import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'gatehouse:public';

/**
 * Marks a route (or a whole controller) as needing no credential.
 *
 * @example @Public() @Get('health') health() {}
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
