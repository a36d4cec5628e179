import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { contextPeersLoaded, loadContextPeers } from './context-peers.js';
import { contextRefusal } from './context-refusal.js';
import { AuthFailureBudget } from './auth-failure.budget.js';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { contextRequestOf } from './execution-context.seam.js';
import { GATEHOUSE_GLOBAL_GUARD, GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { httpRequestOf, type GatehouseRequest } from './gatehouse-request.interface.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { PrincipalEnricher } from './principal-enricher.interface.js';
import { isPrincipal } from './principal.guards.js';
import { setRequestPrincipal } from './principal-slot.js';
import { rejectSoon } from './reject-soon.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies, type RoutePolicy } from './route-policy.js';
import { ScopesGuard } from './scopes.guard.js';
import { closeSocket } from './socket-request.seam.js';

/** A route's mechanisms, resolved once: the ones it reads, the built-ins it refuses, and passport strategies. */
interface ResolvedMechanisms {
  /** Registered mechanisms the route accepts, in registration order: the only ones read for a credential. */
  allowed: readonly CredentialMechanism[];
  /** Built-in mechanisms the route does not accept: read only to explain a refusal (`mechanism_not_allowed`). */
  refused: readonly CredentialMechanism[];
  passportGuard: IAuthGuard | undefined;
  passportNames: readonly string[];
  challenge: string | undefined;
}

interface Selected {
  mechanism: CredentialMechanism;
  credential: string;
}

/**
 * The global guard. Per route: `@Public()` needs nothing; otherwise the credential that is
 * present, among the mechanisms the route accepts, selects the mechanism (bearer → `jwt`, API-key
 * header → `api-key`, session cookie → `session`, a declared mechanism's own credential), and a
 * present but invalid credential is a 401 that never falls through to another mechanism. A header
 * credential wins over an ambient cookie; two header credentials conflict. Mechanisms are called
 * directly (no passport machinery per request); named passport strategies, which cannot tell
 * whether their credential is present, run when no accepted header credential is, before a cookie.
 * `@OptionalAuth()` routes pass with no principal when no credential is present.
 *
 * It works in every Nest context: HTTP, GraphQL (over HTTP and graphql-ws), WebSocket gateways
 * (every message re-checks the socket's handshake credential) and microservices (credentials in
 * the message metadata); refusals become the context's own error (`contextRefusal`).
 *
 * Extend it and override the protected hooks to change how requests are read or principals made;
 * with `GatehouseModule.forRoot({ globalGuard: false })` the app registers its subclass itself.
 */
@Injectable()
export class GatehouseGuard implements CanActivate {
  private readonly resolved = new WeakMap<RoutePolicy, ResolvedMechanisms>();
  /** The rejected promise `refused()` returned last, which `canActivate` returns unchained. */
  private lastRefusal: Promise<never> | undefined;
  protected readonly logger = new Logger('Gatehouse');
  /** With `globalGuard: false` no global ScopesGuard runs after this guard: it checks scopes itself. */
  @Optional() @Inject(GATEHOUSE_GLOBAL_GUARD) private readonly registeredGlobally?: boolean;
  @Optional() @Inject(ScopesGuard) private readonly scopes?: ScopesGuard;

  constructor(
    protected readonly policies: RoutePolicies,
    protected readonly registry: MechanismRegistry,
    @Inject(GATEHOUSE_OPTIONS) protected readonly options: ResolvedGatehouseOptions,
    @Optional() @Inject(PrincipalEnricher) protected readonly enricher?: PrincipalEnricher,
    @Optional() protected readonly failures?: AuthFailureBudget,
  ) {}

  /**
   * Synchronous when the mechanism answers synchronously (a cached credential): no promise is
   * created on the hot path, which Nest's guard consumer then skips awaiting.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.get(context);
    if (policy.isPublic) return true;
    if (context.getType() !== 'http') return this.activateContext(context, policy);
    const request = this.getRequest(context);
    const principal = this.authenticate(request, policy, context);
    if (isPromise(principal)) {
      // A refusal is passed on as it is: chaining it would only add a promise and a microtask.
      const refusal = this.lastRefusal;
      if (refusal !== undefined && principal === refusal) {
        this.lastRefusal = undefined;
        return refusal;
      }
      return principal.then((resolved) => {
        if (resolved) this.attach(request, resolved);
        return this.registeredGlobally === false ? this.checkScopes(context) : true;
      });
    }
    if (principal) this.attach(request, principal);
    return this.registeredGlobally === false ? this.checkScopes(context) : true;
  }

  /** Owned by the app (`globalGuard: false`): `@Scopes` is checked here, after authenticating. */
  private checkScopes(context: ExecutionContext): boolean {
    return this.scopes ? this.scopes.canActivate(context) : true;
  }

  /** GraphQL, WebSocket and RPC: the same steps, with refusals in the context's own error. */
  private activateContext(context: ExecutionContext, policy: RoutePolicy): boolean | Promise<boolean> {
    // The first non-HTTP request loads the error classes its refusals need (optional peers).
    if (!contextPeersLoaded()) return loadContextPeers().then(() => this.activateContext(context, policy));
    const refuse = (error: unknown): never => {
      throw this.refuse(context, error);
    };
    try {
      const request = this.getRequest(context);
      const principal = this.authenticate(request, policy, context);
      if (isPromise(principal)) {
        return principal.then((resolved) => {
          if (resolved) this.attach(request, resolved);
          return this.registeredGlobally === false ? this.checkScopes(context) : true;
        }, refuse);
      }
      if (principal) this.attach(request, principal);
      return this.registeredGlobally === false ? this.checkScopes(context) : true;
    } catch (error) {
      return refuse(error);
    }
  }

  /**
   * The request object the mechanisms read: the HTTP request, or what `contextRequestOf` makes of
   * a GraphQL, WebSocket or RPC context. Override it to read a context gatehouse does not know.
   */
  protected getRequest(context: ExecutionContext): GatehouseRequest {
    return context.getType() === 'http' ? httpRequestOf(context) : contextRequestOf(context);
  }

  /**
   * Turns a refusal outside HTTP into the context's error (`GraphQLError`, `WsException`,
   * `RpcException`), and closes a socket whose credential is dead (a 401 other than a missing or
   * not-accepted-here credential).
   */
  protected refuse(context: ExecutionContext, error: unknown): unknown {
    if (error instanceof GatehouseError) {
      if (error.status >= 500) this.logger.error(`${error.code} in a ${context.getType()} context: ${error.message}`);
      if (error.status === 401 && !LIVE_CREDENTIAL_CODES.has(error.code) && context.getType() === 'ws') {
        const client = context.getArgByIndex<unknown>(0);
        if (typeof client === 'object' && client !== null) closeSocket(client, error.code);
      }
    }
    return contextRefusal(context, error);
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

  /**
   * Picks the credential present among `mechanisms`: a header credential wins over the ambient
   * cookie, two header credentials conflict. Ambient credentials are read only when no header
   * credential is present, since none of them could be picked otherwise.
   */
  protected selectCredential(request: GatehouseRequest, mechanisms: readonly CredentialMechanism[] = this.registry.all()): Selected | undefined {
    let explicit: Selected | undefined;
    let ambientAccepted = false;
    for (const mechanism of mechanisms) {
      if (mechanism.ambient) {
        ambientAccepted = true;
        continue;
      }
      const credential = mechanism.extract(request);
      if (credential === undefined) continue;
      if (explicit) throw new GatehouseError('credentials_conflict');
      explicit = { mechanism, credential };
    }
    if (explicit !== undefined || !ambientAccepted) return explicit;
    for (const mechanism of mechanisms) {
      if (!mechanism.ambient) continue;
      const credential = mechanism.extract(request);
      if (credential !== undefined) return { mechanism, credential };
    }
    return undefined;
  }

  /** The principal of the credential the route accepts, or undefined on an `@OptionalAuth()` route without one. */
  protected authenticate(request: GatehouseRequest, policy: RoutePolicy, context: ExecutionContext): MaybePrincipal | Promise<MaybePrincipal> {
    const route = this.resolve(policy);
    const selected = this.selectCredential(request, route.allowed);
    // A passport strategy may carry an explicit credential we cannot see: it goes before a cookie.
    if (selected && !(selected.mechanism.ambient && route.passportGuard)) return this.verify(selected, request, context);
    if (route.passportGuard) return this.runPassport(route, request, context, policy, selected);
    return this.nothingAccepted(route, request, policy);
  }

  /** No accepted credential: a refused built-in one is named, an optional route passes, else 401. */
  private nothingAccepted(route: ResolvedMechanisms, request: GatehouseRequest, policy: RoutePolicy): undefined {
    const stray = route.refused.find((mechanism) => mechanism.extract(request) !== undefined);
    if (stray) throw new GatehouseError('mechanism_not_allowed', { mechanism: stray.name, ...this.challengeHeaders(route.challenge) });
    if (policy.optional) return undefined;
    throw new GatehouseError('credentials_missing', this.challengeHeaders(route.challenge));
  }

  private verify({ mechanism, credential }: Selected, request: GatehouseRequest, context: ExecutionContext): Principal | Promise<Principal> {
    let principal: Principal | Promise<Principal> | GatehouseError;
    try {
      principal = mechanism.authenticate(credential, request);
    } catch (error) {
      return this.refused(request, withChallenge(error, mechanism));
    }
    if (principal instanceof GatehouseError) return this.refused(request, withChallenge(principal, mechanism));
    if (isPromise(principal)) {
      const verified = principal.catch((error: unknown) => this.refused(request, withChallenge(error, mechanism)));
      return verified.then((resolved) => this.enrich(resolved, context));
    }
    return this.enrich(principal, context);
  }

  /** Passes the verified principal through the app's `PrincipalEnricher`; what it returns is checked and frozen. */
  protected enrich(principal: Principal, context: ExecutionContext): Principal | Promise<Principal> {
    if (!this.enricher) return principal;
    const settle = (enriched: Principal): Principal => {
      if (!isPrincipal(enriched)) throw new TypeError('PrincipalEnricher.enrich() must return a gatehouse Principal');
      return Object.isFrozen(enriched) ? enriched : Object.freeze(enriched);
    };
    const enriched = this.enricher.enrich(principal, context);
    return isPromise(enriched) ? enriched.then(settle) : settle(enriched);
  }

  private async runPassport(
    route: ResolvedMechanisms,
    request: GatehouseRequest,
    context: ExecutionContext,
    policy: RoutePolicy,
    ambient: Selected | undefined,
  ): Promise<MaybePrincipal> {
    try {
      await route.passportGuard?.canActivate(context);
    } catch (error) {
      if (!(error instanceof PassportFailure)) throw error;
      // Every strategy failed without an error of its own: the credential may simply be absent.
      if (ambient) return this.verify(ambient, request, context);
      const stray = route.refused.find((mechanism) => mechanism.extract(request) !== undefined);
      if (stray) throw new GatehouseError('mechanism_not_allowed', { mechanism: stray.name, ...this.challengeHeaders(route.challenge) });
      if (policy.optional) return undefined;
      const challenge = error.challenge ?? route.challenge;
      throw new GatehouseError('authentication_failed', { mechanism: route.passportNames.join(','), ...this.challengeHeaders(challenge) });
    }
    const principal = this.toPrincipal(request.user, route.passportNames.join(','));
    return this.enrich(principal, context);
  }

  /**
   * A present credential was refused: counted against the client's failure budget (429 past it;
   * in memory, with no I/O, when it was refused by its shape), and answered as a promise that
   * rejects a microtask later (`rejectSoon`) rather than thrown. Nest awaits the guard either way,
   * a throw this deep in a request's call stack costs more than checking a garbage credential, and
   * an already rejected promise costs Node's unhandled-rejection bookkeeping until Nest's handler
   * arrives. `canActivate` returns it as it is.
   */
  protected refused(request: GatehouseRequest, error: unknown): Promise<never> {
    let rejection: Promise<never>;
    if (!this.failures?.counts(error)) rejection = rejectSoon(error);
    else {
      // Counted synchronously in memory (a malformed credential, or any with the in-memory storage),
      // or after the shared count; thrown from the handler, so no rejected promise waits unhandled.
      const answer = this.failures.refused(request, error);
      rejection = isPromise(answer) ? answer.then(throwCounted) : rejectSoon(answer);
    }
    this.lastRefusal = rejection;
    return rejection;
  }

  private challengeHeaders(challenge: string | undefined): { headers?: Record<string, string> } {
    return challenge ? { headers: { 'WWW-Authenticate': challenge } } : {};
  }

  /** Resolves a route's mechanisms once; an unknown name is a configuration error (also caught at startup). */
  protected resolve(policy: RoutePolicy): ResolvedMechanisms {
    let resolved = this.resolved.get(policy);
    if (resolved) return resolved;
    const accepted = new Set<string>();
    const passportNames: string[] = [];
    for (const name of policy.mechanisms) {
      if (this.registry.has(name)) accepted.add(name);
      // A built-in name whose library the app did not import is skipped (passport's own "session"
      // strategy is never meant by it); a named unknown strategy is a configuration bug.
      else if (BUILT_IN_MECHANISMS.has(name)) continue;
      else if (isPassportStrategy(name)) passportNames.push(name);
      else throw new TypeError(unknownMechanismMessage(name));
    }
    const all = this.registry.all();
    const allowed = all.filter((mechanism) => accepted.has(mechanism.name));
    const challenges = allowed.map((mechanism) => mechanism.challenge?.()).filter(Boolean);
    resolved = {
      allowed,
      refused: all.filter((mechanism) => !accepted.has(mechanism.name) && BUILT_IN_MECHANISMS.has(mechanism.name)),
      passportNames,
      passportGuard: passportNames.length > 0 ? createPassportGuard(passportNames) : undefined,
      challenge: challenges.length > 0 ? challenges.join(', ') : undefined,
    };
    this.resolved.set(policy, resolved);
    return resolved;
  }
}

type MaybePrincipal = Principal | undefined;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The refusal a shared count settled on, as the guard's rejection. */
function throwCounted(counted: unknown): never {
  throw counted;
}

/** Adds the mechanism's `WWW-Authenticate` challenge to a 401 it raised, unless it set its own headers. */
function withChallenge(error: unknown, mechanism: CredentialMechanism): unknown {
  if (error instanceof GatehouseError && error.status === 401 && !error.details.headers) {
    const challenge = mechanism.challenge?.(error);
    if (challenge) error.details.headers = { 'WWW-Authenticate': challenge };
  }
  return error;
}

/** 401s that say nothing against the socket's credential: the socket stays open. */
const LIVE_CREDENTIAL_CODES = new Set(['credentials_missing', 'mechanism_not_allowed', 'reauthentication_required']);

/** Names reserved for gatehouse's own mechanisms. */
export const BUILT_IN_MECHANISMS: ReadonlySet<string> = new Set(['jwt', 'session', 'api-key']);

/** True when passport knows a strategy of that name (registered by `PassportStrategy(Strategy, name)`). */
export function isPassportStrategy(name: string): boolean {
  return Boolean((passport as unknown as { _strategy(name: string): unknown })._strategy(name));
}

export function unknownMechanismMessage(name: string, where?: string): string {
  return (
    `Unknown authentication mechanism "${name}"${where ? ` on ${where}` : ''}: declare it in ` +
    `GatehouseModule.forRoot({ mechanisms: [...] }) or register a passport strategy with PassportStrategy(Strategy, '${name}')`
  );
}

/** Every named passport strategy failed (passport's `fail()`), none raised an error: maybe no credential at all. */
class PassportFailure extends Error {
  constructor(readonly challenge: string | undefined) {
    super('passport strategies failed');
  }
}

/** `AuthGuard(names)` whose errors stay coded and whose plain failures are told apart from errors. */
function createPassportGuard(names: string[]): IAuthGuard {
  class PassportStrategiesGuard extends AuthGuard(names) {
    // Passport reads the request gatehouse reads, in every context.
    override getRequest(context: ExecutionContext): GatehouseRequest {
      return context.getType() === 'http' ? httpRequestOf(context) : contextRequestOf(context);
    }

    override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
      if (error instanceof GatehouseError) throw error;
      if (error) throw new GatehouseError('authentication_failed', { mechanism: names.join(',') }, { cause: error });
      if (!user) throw new PassportFailure(challengeOf(info));
      return user;
    }
  }
  return new PassportStrategiesGuard();
}

/** The challenge(s) the strategies passed to `fail(challenge)`, when they are strings. */
function challengeOf(info: unknown): string | undefined {
  const list = (Array.isArray(info) ? info : [info]).filter((item): item is string => typeof item === 'string' && item !== '');
  return list.length > 0 ? list.join(', ') : undefined;
}
