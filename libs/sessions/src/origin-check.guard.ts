import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { httpRequestOf } from '@gatehouse/core';
import { CsrfProtection } from './csrf-protection.js';

/**
 * Applies the CSRF origin and body-type checks to a route that has no session yet — above all
 * the login route, against login CSRF (signing a victim into the attacker's account). The
 * synchronizer token cannot apply there: it is bound to a session that does not exist yet.
 *
 * @example @Public() @UseGuards(OriginCheckGuard) @Post('login') login() {}
 */
@Injectable()
export class OriginCheckGuard implements CanActivate {
  constructor(private readonly csrf: CsrfProtection) {}

  canActivate(context: ExecutionContext): boolean {
    this.csrf.checkRequest(httpRequestOf(context));
    return true;
  }
}
