import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { ExtractJwt } from 'passport-jwt';
import { GatehouseError, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { JwtMechanism } from './jwt.mechanism.js';
import { JWT_MECHANISM } from './tokens.constants.js';

type Done = (error: unknown, user?: Principal | false | null, info?: unknown) => void;
type VerifyCallback = (principal: Principal, done: Done) => void;
type TokenExtractor = (request: GatehouseRequest) => string | null;

/**
 * A passport strategy that reads the bearer token with passport-jwt's `ExtractJwt` and verifies it
 * with jose through `AccessTokenVerifier` (passport-jwt's own verifier is jsonwebtoken, which
 * has no EdDSA and none of our key-ring rules). A missing token fails (the next strategy may
 * try); a present but invalid one errors with its coded 401 (it never falls through).
 */
export class JoseBearerStrategy extends passport.Strategy {
  override name = JWT_MECHANISM;
  protected readonly extractToken: TokenExtractor = ExtractJwt.fromAuthHeaderAsBearerToken() as unknown as TokenExtractor;

  constructor(
    protected readonly verifier: AccessTokenVerifier,
    protected readonly mechanism: JwtMechanism,
    private readonly verifyCallback: VerifyCallback,
  ) {
    super();
  }

  override authenticate(request: GatehouseRequest): void {
    const token = this.extractToken(request);
    if (token === null || token === undefined) {
      this.fail(this.mechanism.challenge(), 401);
      return;
    }
    let verified: Principal | Promise<Principal>;
    try {
      verified = this.verifier.verify(token);
    } catch (error) {
      this.refuse(error);
      return;
    }
    Promise.resolve(verified).then(
      (principal) =>
        this.verifyCallback(principal, (error, user, info) => {
          if (error) this.refuse(error);
          else if (!user) this.fail(info ?? this.mechanism.challenge(), 401);
          else this.success(user, info as object | undefined);
        }),
      (error: unknown) => this.refuse(error),
    );
  }

  private refuse(error: unknown): void {
    if (error instanceof GatehouseError && error.status === 401 && !error.details.headers) {
      error.details.headers = { 'WWW-Authenticate': this.mechanism.challenge(error) };
    }
    this.error(error as Error);
  }
}

/**
 * The `jwt` passport strategy, so `AuthGuard('jwt')` works like the guard's built-in mechanism.
 * A `validate` override acts only where this strategy runs (`AuthGuard('jwt')`); behind the global
 * guard, enrich or refuse principals with a `PrincipalEnricher`.
 *
 * @example @Public() @UseGuards(AuthGuard('jwt')) @Get('legacy') legacy(@Req() req) { return req.user; }
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(JoseBearerStrategy, JWT_MECHANISM) {
  constructor(verifier: AccessTokenVerifier, mechanism: JwtMechanism) {
    super(verifier, mechanism);
  }

  /** Receives the verified principal; return it (or another principal), or throw to refuse. */
  validate(principal: Principal): Principal | Promise<Principal> {
    return principal;
  }
}
