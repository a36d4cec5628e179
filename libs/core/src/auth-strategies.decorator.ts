import { SetMetadata } from '@nestjs/common';

export const AUTH_STRATEGIES_KEY = 'gatehouse:strategies';

/**
 * Names exactly which mechanisms a route accepts, replacing the module default. Built-in names
 * (`jwt`, `session`, `api-key`) use their verifiers directly; any other name runs that passport
 * strategy (register it with `PassportStrategy(Strategy, 'name')`).
 *
 * @example @AuthStrategies('jwt', 'partner-hmac') @Post('webhooks') receive() {}
 */
export const AuthStrategies = (...names: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_STRATEGIES_KEY, names);
