// The NestJS documentation's JWT recipe (docs.nestjs.com/recipes/passport, "Implementing Passport
// JWT"), mounted in the bench server next to the demo so that one run compares it with gatehouse:
// `@nestjs/jwt` signs HS256 tokens with a string secret, passport-jwt's strategy verifies them
// behind `AuthGuard(...)`, and `validate()` builds the request's user. A second strategy verifies
// the same tokens with the secret as a `KeyObject`. Only the bench server mounts this.
import { Controller, Get, Injectable, Request, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Public, type Principal } from '@gatehouse/core';

/** Where the recipe's routes are mounted. */
export const RECIPE_PATHS = {
  token: '/bench/recipe/token',
  profile: '/bench/recipe/profile',
  profileKeyObject: '/bench/recipe/profile-keyobject',
} as const;

/** A string secret, as the recipe's `jwtConstants.secret` (random per process here, never a literal). */
const secret = randomBytes(32).toString('base64url');

/**
 * The recipe's `validate()`, returning a principal-shaped user so the body matches `GET /me`
 * (the docs return `{ userId, username }`; the shape, not the fields, is what the bench compares).
 */
function principalOf(payload: { sub: string; jti: string; sid: string; scope: string; exp: number; iat: number }): Principal {
  return {
    kind: 'user',
    subject: payload.sub,
    scopes: payload.scope.split(' '),
    credential: { mechanism: 'jwt', id: payload.jti, expiresAt: payload.exp * 1000, sessionId: payload.sid, authTime: payload.iat * 1000 },
  };
}

/**
 * The recipe's `JwtStrategy`, verbatim but for its name: gatehouse already registers a passport
 * strategy called `jwt`, and passport keeps one strategy per name.
 */
@Injectable()
class RecipeJwtStrategy extends PassportStrategy(Strategy, 'recipe-jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: secret });
  }

  validate(payload: Parameters<typeof principalOf>[0]): Principal {
    return principalOf(payload);
  }
}

/** The same strategy with the secret imported once as a `KeyObject`. */
@Injectable()
class RecipeKeyObjectStrategy extends PassportStrategy(Strategy, 'recipe-jwt-keyobject') {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      secretOrKey: createSecretKey(Buffer.from(secret)) as unknown as string,
    });
  }

  validate(payload: Parameters<typeof principalOf>[0]): Principal {
    return principalOf(payload);
  }
}

/**
 * The recipe's routes. The demo module takes extra controllers only, so the recipe's
 * `JwtModule.register({ secret, signOptions })` is its `JwtService` built with the same options,
 * and its strategies are constructed once by `registerRecipeStrategies()` (a passport strategy
 * registers itself by name when constructed, as under DI).
 */
@Controller()
export class NestRecipeController {
  // An hour rather than the recipe's 60 s, so the tokens outlive the run.
  private readonly jwt = new JwtService({ secret, signOptions: { expiresIn: '1h' } });

  /** Signs a recipe token with principal-sized claims (what the recipe's `AuthService.login` does). */
  @Public()
  @Get(RECIPE_PATHS.token)
  token(): { access_token: string } {
    const claims = { sub: randomUUID(), jti: randomBytes(16).toString('base64url'), sid: randomBytes(16).toString('base64url'), scope: 'orders:read orders:write api-keys:manage' };
    return { access_token: this.jwt.sign(claims) };
  }

  // `@Public()` only steps gatehouse's global guard aside: the recipe's guard does the work.
  @Public()
  @UseGuards(AuthGuard('recipe-jwt'))
  @Get(RECIPE_PATHS.profile)
  profile(@Request() req: { user: Principal }): Principal {
    return req.user;
  }

  @Public()
  @UseGuards(AuthGuard('recipe-jwt-keyobject'))
  @Get(RECIPE_PATHS.profileKeyObject)
  profileKeyObject(@Request() req: { user: Principal }): Principal {
    return req.user;
  }
}

/** Registers the recipe's two passport strategies (once per process). */
export function registerRecipeStrategies(): void {
  new RecipeJwtStrategy();
  new RecipeKeyObjectStrategy();
}
