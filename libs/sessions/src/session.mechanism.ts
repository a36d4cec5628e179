import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GatehouseError, MechanismRegistry, SecurityEvents, type CredentialMechanism, type GatehouseRequest, type OpenApiSecurityScheme, type Principal } from '@gatehouse/core';
import { CsrfProtection } from './csrf-protection.js';
import type { ActiveSession } from './session.interfaces.js';
import { SessionCookie } from './session-cookie.js';
import { SessionVerifier } from './session.verifier.js';
import { SESSION_MECHANISM } from './sessions.constants.js';

/** Stands for "several session cookies were sent": never a valid secret, so it always fails. */
const AMBIGUOUS = '\u0000ambiguous';

/**
 * The `session` credential mechanism the global guard calls: the cookie is the credential
 * (ambient, so a bearer token or API key on the same request wins), the session is looked up
 * through the cache, and unsafe methods must pass the CSRF checks. Registered with core's
 * `MechanismRegistry` when the module starts.
 */
@Injectable()
export class SessionMechanism implements CredentialMechanism, OnModuleInit {
  readonly name = SESSION_MECHANISM;
  readonly ambient = true;
  /** The principal of each cached session object, with the expiry it was built for. */
  private readonly principals = new WeakMap<ActiveSession, { expiresAt: number; principal: Principal }>();

  constructor(
    private readonly registry: MechanismRegistry,
    protected readonly cookie: SessionCookie,
    protected readonly verifier: SessionVerifier,
    protected readonly csrf: CsrfProtection,
    protected readonly events: SecurityEvents,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  extract(request: GatehouseRequest): string | undefined {
    const found = this.cookie.read(request);
    if (found.state === 'absent') return undefined;
    return found.state === 'present' ? found.secret : AMBIGUOUS;
  }

  /** OpenAPI: the session cookie (an API key in a cookie, in OpenAPI's terms). */
  openApi(): OpenApiSecurityScheme {
    return { name: 'session', scheme: { type: 'apiKey', in: 'cookie', name: this.cookie.name } };
  }

  /** Synchronous when the verifier answers from its cache, so the guard creates no promise. */
  authenticate(credential: string, request: GatehouseRequest): Principal | Promise<Principal> | GatehouseError {
    if (credential === AMBIGUOUS) {
      this.events.emit('session.cookie_conflict', { ip: request.ip });
      throw new GatehouseError('invalid_session', { mechanism: this.name });
    }
    const session = this.verifier.check(credential);
    if (session instanceof GatehouseError) return session;
    if (session instanceof Promise) return session.then((verified) => this.accept(verified, request, credential));
    return this.accept(session, request, credential);
  }

  /** Unsafe methods must pass the CSRF checks, a WebSocket handshake the origin check, before the session counts. */
  private accept(session: ActiveSession, request: GatehouseRequest, credential: string): Principal {
    if (request.handshake) this.csrf.checkHandshake(request);
    else this.csrf.verify(request, credential);
    return this.principalOf(session);
  }

  /**
   * `toPrincipal`, built once per cached session and expiry, and frozen as the other mechanisms'
   * principals are: a repeated cookie allocates nothing. An overridden `toPrincipal` is called on
   * every request, as it always was.
   */
  private principalOf(session: ActiveSession): Principal {
    if (this.toPrincipal !== SessionMechanism.prototype.toPrincipal) return this.toPrincipal(session);
    // The idle expiry slides when the session is touched: the principal's `expiresAt` follows it.
    const expiresAt = Math.min(session.idleExpiresAt, session.absoluteExpiresAt);
    const built = this.principals.get(session);
    if (built !== undefined && built.expiresAt === expiresAt) return built.principal;
    const principal = this.toPrincipal(session);
    Object.freeze(principal.credential);
    Object.freeze(principal);
    this.principals.set(session, { expiresAt, principal });
    return principal;
  }

  /** The principal of a verified session; override to add to it. */
  protected toPrincipal(session: ActiveSession): Principal {
    return {
      kind: 'user',
      subject: session.subject,
      scopes: session.scopes,
      credential: {
        mechanism: this.name,
        id: session.id,
        sessionId: session.id,
        authTime: session.authTime,
        expiresAt: Math.min(session.idleExpiresAt, session.absoluteExpiresAt),
      },
    };
  }
}
