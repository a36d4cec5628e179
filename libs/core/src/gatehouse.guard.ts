import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { AuthFailureBudget } from './auth-failure.budget.js';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { httpRequestOf, type GatehouseRequest } from './gatehouse-request.interface.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { isPrincipal } from './principal.guards.js';
import { setRequestPrincipal } from './principal-slot.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies, type RoutePolicy } from './route-policy.js';

/** A route's mechanisms split into the guard's fast path and passport strategies, resolved once. */
interface ResolvedMechanisms {
  builtIn: ReadonlySet<string>;
  passportGuard: IAuthGuard | undefined;
  passportNames: readonly string[];
  challenge: string | undefined;
}

/**
 * The global guard. Per route: `@Public()` needs nothing; otherwise the credential that is
 * present selects the mechanism (bearer → `jwt`, API-key header → `api-key`, session cookie →
 * `session`), and a present but invalid credential is a 401 that never falls through to another
 * mechanism. Built-in mechanisms are called directly (no passport machinery per request); named
 * custom strategies run through passport when no built-in credential is present.
 *
 * Extend it and override the protected hooks to change how requests are read or principals made.
 */
@Injectable()
export class GatehouseGuard implements CanActivate {
  private readonly resolved = new WeakMap<RoutePolicy, ResolvedMechanisms>();

  constructor(
    protected readonly policies: RoutePolicies,
    protected readonly registry: MechanismRegistry,
    @Inject(GATEHOUSE_OPTIONS) protected readonly options: ResolvedGatehouseOptions,
    @Optional() protected readonly failures?: AuthFailureBudget,
  ) {}

  /**
   * Synchronous when the mechanism answers synchronously (a cached credential): no promise is
   * created on the hot path, which Nest's guard consumer then skips awaiting.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.get(context);
    if (policy.isPublic) return true;
    if (context.getType() !== 'http') {
      throw new TypeError('GatehouseGuard protects HTTP routes only; mark other handlers @Public()');
    }
    const request = this.getRequest(context);
    const principal = this.authenticate(request, policy, context);
    if (isPromise(principal)) {
      return principal.then((resolved) => {
        this.attach(request, resolved);
        return true;
      });
    }
    this.attach(request, principal);
    return true;
  }

  /** The request object the mechanisms read. */
  protected getRequest(context: ExecutionContext): GatehouseRequest {
    return httpRequestOf(context);
  }

  /** Stores the principal where `@CurrentPrincipal()` and passport-style code (`req.user`) find it. */
  protected attach(request: GatehouseRequest, principal: Principal): void {
    setRequestPrincipal(request, principal);
  }

  /** Turns what a custom passport strategy's `validate()` returned into a principal. */
  protected toPrincipal(user: unknown, strategy: string): Principal {
    if (isPrincipal(user)) return user;
    throw new TypeError(`Passport strategy "${strategy}" must return a gatehouse Principal from validate()`);
  }

  /** Picks the credential present on the request; header credentials win over the ambient cookie. */
  protected selectCredential(request: GatehouseRequest): { mechanism: CredentialMechanism; credential: string } | undefined {
    let explicit: { mechanism: CredentialMechanism; credential: string } | undefined;
    let ambient: { mechanism: CredentialMechanism; credential: string } | undefined;
    for (const mechanism of this.registry.all()) {
      const credential = mechanism.extract(request);
      if (credential === undefined) continue;
      if (mechanism.ambient) ambient ??= { mechanism, credential };
      else if (explicit) throw new GatehouseError('credentials_conflict');
      else explicit = { mechanism, credential };
    }
    return explicit ?? ambient;
  }

  protected authenticate(request: GatehouseRequest, policy: RoutePolicy, context: ExecutionContext): Principal | Promise<Principal> {
    const route = this.resolve(policy);
    const selected = this.selectCredential(request);
    if (selected) {
      const { mechanism, credential } = selected;
      if (!route.builtIn.has(mechanism.name)) {
        throw new GatehouseError('mechanism_not_allowed', { mechanism: mechanism.name, ...this.challengeHeaders(route.challenge) });
      }
      let principal: Principal | Promise<Principal>;
      try {
        principal = mechanism.authenticate(credential, request);
      } catch (error) {
        return this.refused(request, withChallenge(error, mechanism));
      }
      return isPromise(principal) ? principal.catch((error: unknown) => this.refused(request, withChallenge(error, mechanism))) : principal;
    }
    if (route.passportGuard) return this.runPassport(route, request, context);
    throw new GatehouseError('credentials_missing', this.challengeHeaders(route.challenge));
  }

  /** A present credential was refused: counted against the client's failure budget (429 past it), then rethrown. */
  protected async refused(request: GatehouseRequest, error: unknown): Promise<never> {
    throw this.failures ? await this.failures.refused(request, error) : error;
  }

  private async runPassport(route: ResolvedMechanisms, request: GatehouseRequest, context: ExecutionContext): Promise<Principal> {
    await route.passportGuard?.canActivate(context);
    return this.toPrincipal(request.user, route.passportNames.join(','));
  }

  private challengeHeaders(challenge: string | undefined): { headers?: Record<string, string> } {
    return challenge ? { headers: { 'WWW-Authenticate': challenge } } : {};
  }

  private resolve(policy: RoutePolicy): ResolvedMechanisms {
    let resolved = this.resolved.get(policy);
    if (resolved) return resolved;
    const builtIn = new Set<string>();
    const passportNames: string[] = [];
    for (const name of policy.mechanisms) {
      if (this.registry.has(name)) builtIn.add(name);
      // A built-in name whose library the app did not import is skipped (passport's own "session"
      // strategy is never meant by it); a named unknown strategy is a configuration bug.
      else if (BUILT_IN_MECHANISMS.has(name)) continue;
      else if (isPassportStrategy(name)) passportNames.push(name);
      else throw new TypeError(`Unknown authentication strategy "${name}": register it with PassportStrategy(Strategy, '${name}')`);
    }
    const challenges = [...builtIn].map((name) => this.registry.get(name)?.challenge?.()).filter(Boolean);
    resolved = {
      builtIn,
      passportNames,
      passportGuard: passportNames.length > 0 ? createPassportGuard(passportNames) : undefined,
      challenge: challenges.length > 0 ? challenges.join(', ') : undefined,
    };
    this.resolved.set(policy, resolved);
    return resolved;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Adds the mechanism's `WWW-Authenticate` challenge to a 401 it raised, unless it set its own headers. */
function withChallenge(error: unknown, mechanism: CredentialMechanism): unknown {
  if (error instanceof GatehouseError && error.status === 401 && !error.details.headers) {
    const challenge = mechanism.challenge?.(error);
    if (challenge) error.details.headers = { 'WWW-Authenticate': challenge };
  }
  return error;
}

/** Names reserved for gatehouse's own mechanisms. */
const BUILT_IN_MECHANISMS = new Set(['jwt', 'session', 'api-key']);

function isPassportStrategy(name: string): boolean {
  return Boolean((passport as unknown as { _strategy(name: string): unknown })._strategy(name));
}

/** `AuthGuard(names)` whose failures become coded 401s instead of Nest's UnauthorizedException. */
function createPassportGuard(names: string[]): IAuthGuard {
  class PassportStrategiesGuard extends AuthGuard(names) {
    override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
      if (error instanceof GatehouseError) throw error;
      if (error || !user) throw new GatehouseError('authentication_failed', { mechanism: names.join(',') }, { cause: error });
      return user;
    }
  }
  return new PassportStrategiesGuard();
}
