import { Controller, Get, Injectable, Module, UseGuards, type OnModuleInit } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import {
  AuthStrategies,
  CurrentPrincipal,
  GatehouseError,
  GatehouseModule,
  MechanismRegistry,
  Public,
  readHeader,
  type CredentialMechanism,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';

/** The one valid credential value of the guard-overhead app. */
export const GUARD_BENCH_TOKEN = 'guard-bench-token-0123456789abcdef';

const principal: Principal = { kind: 'user', subject: 'bench-user', scopes: ['orders:read'], credential: { mechanism: 'bench', id: 'bench' } };
const known = new Map([[GUARD_BENCH_TOKEN, principal]]);

/** The check both paths share: one map lookup, so the difference between them is the machinery. */
const lookup = (token: string | undefined): Principal | undefined => (token === undefined ? undefined : known.get(token));

const afterPrefix = (request: GatehouseRequest, prefix: string): string | undefined => {
  const header = readHeader(request, 'authorization');
  return header?.startsWith(prefix) ? header.slice(prefix.length) : undefined;
};

/** A built-in-style mechanism (`Authorization: Bearer …`), called directly by GatehouseGuard. */
const fastMechanism: CredentialMechanism = {
  name: 'bench-fast',
  ambient: false,
  extract: (request) => afterPrefix(request, 'Bearer '),
  authenticate: (credential) => {
    const found = lookup(credential);
    if (!found) throw new GatehouseError('invalid_token', { mechanism: 'bench-fast' });
    return found;
  },
};

@Injectable()
class FastMechanismRegistration implements OnModuleInit {
  constructor(private readonly registry: MechanismRegistry) {}
  onModuleInit(): void {
    this.registry.register(fastMechanism);
  }
}

/** The same check as a passport strategy (`Authorization: Token …`), as users write their own. */
@Injectable()
class BenchPassportStrategy extends PassportStrategy(CustomStrategy, 'bench-passport') {
  validate(request: GatehouseRequest): Principal | false {
    return lookup(afterPrefix(request, 'Token ')) ?? false;
  }
}

@Controller()
class GuardBenchController {
  @Public() @Get('public') open(): { ok: true } {
    return { ok: true };
  }

  /** GatehouseGuard → the registered mechanism, no passport. */
  @Get('fast') fast(@CurrentPrincipal('subject') subject: string): { subject: string } {
    return { subject };
  }

  /** GatehouseGuard → passport (`AuthGuard('bench-passport')` inside), as for a custom strategy. */
  @AuthStrategies('bench-passport') @Get('gatehouse-passport') viaGatehouse(@CurrentPrincipal('subject') subject: string): { subject: string } {
    return { subject };
  }

  /** The Nest docs' recipe: passport's `AuthGuard(name)` on the route, gatehouse out of the way. */
  @Public() @UseGuards(AuthGuard('bench-passport')) @Get('auth-guard') authGuard(@CurrentPrincipal('subject') subject: string): { subject: string } {
    return { subject };
  }
}

/** A tiny app measuring the guard's direct call against the same check through passport. */
@Module({
  imports: [GatehouseModule.forRoot({ defaultMechanisms: ['bench-fast'] })],
  controllers: [GuardBenchController],
  providers: [FastMechanismRegistration, BenchPassportStrategy],
})
export class GuardBenchModule {}
