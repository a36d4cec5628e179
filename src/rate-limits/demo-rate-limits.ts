import type { GatehouseRateLimitOptions } from '@gatehouse/core';
import type { DemoConfig, RateLimit } from '../config/demo.config.js';

const toLimit = ({ limit, ttlSeconds }: RateLimit) => ({ limit, ttlMs: ttlSeconds * 1000 });

/** The demo's rate-limit environment variables mapped onto `GatehouseModule`'s `rateLimits` option. */
export function demoRateLimits(config: DemoConfig): GatehouseRateLimitOptions | false {
  if (!config.rateLimitsEnabled) return false;
  return {
    apiKey: toLimit(config.apiKeyRateLimit),
    user: toLimit(config.userRateLimit),
    anonymous: toLimit(config.anonymousRateLimit),
    signInPerAccount: toLimit(config.loginRateLimitAccount),
    signInPerAccountAndAddress: toLimit(config.loginRateLimitAccountIp),
    signInPerAddress: toLimit(config.loginRateLimitIp),
    failuresPerAddress: toLimit(config.authFailureLimit),
  };
}
