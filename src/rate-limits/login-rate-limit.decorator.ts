import { SetMetadata } from '@nestjs/common';

export const LOGIN_RATE_LIMIT_KEY = 'demo:login-rate-limit';

/**
 * Counts requests to this route as login attempts: limited per account (the body's `email`) and
 * per client IP, so one attacker cannot spray passwords and one victim cannot be locked out by
 * attempts from a single other address.
 */
export const LoginRateLimit = (): MethodDecorator => SetMetadata(LOGIN_RATE_LIMIT_KEY, true);
