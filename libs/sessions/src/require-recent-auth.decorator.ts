import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { RecentAuthGuard } from './recent-auth.guard.js';
import { RECENT_AUTH_KEY } from './sessions.constants.js';

export { RECENT_AUTH_KEY };

/**
 * Requires the subject to have proved who they are within the last `maxAgeSeconds` (the
 * credential's `authTime`); otherwise 401 `reauthentication_required`. For sensitive actions:
 * password or email changes, deleting the account, creating API keys.
 *
 * @example @RequireRecentAuth(300) @Post('password') changePassword() {}
 */
export const RequireRecentAuth = (maxAgeSeconds: number): MethodDecorator & ClassDecorator => {
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) throw new TypeError('RequireRecentAuth needs a positive number of seconds');
  return applyDecorators(SetMetadata(RECENT_AUTH_KEY, maxAgeSeconds), UseGuards(RecentAuthGuard));
};
