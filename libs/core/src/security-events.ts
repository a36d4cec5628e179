import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Clock } from './clock.js';

/** A security-relevant event. Never carries a secret: ids, subjects, IPs and reasons only. */
export interface SecurityEvent {
  /** Dotted event type, e.g. `refresh.reuse_detected`, `session.created`, `api_key.revoked`. */
  type: string;
  /** Epoch milliseconds. */
  at: number;
  subject?: string;
  ip?: string;
  [field: string]: string | number | boolean | undefined;
}

/** Prefix of every event name published on the Nest event emitter. */
export const SECURITY_EVENT_PREFIX = 'gatehouse.';

/** The part of `@nestjs/event-emitter`'s `EventEmitter2` that security events use. */
export interface SecurityEventEmitter {
  emit(event: string, ...values: unknown[]): boolean;
}

/**
 * Emits typed security events on `@nestjs/event-emitter` (as `gatehouse.<type>`, when the app
 * registers `EventEmitterModule`) and logs each as one structured line.
 *
 * `@nestjs/event-emitter` is an optional peer: it is looked up when the module starts (a dynamic
 * import, then the app's `EventEmitter2` provider), so an app without it never loads it.
 *
 * @example @OnEvent('gatehouse.refresh.reuse_detected') alert(event: SecurityEvent) {}
 */
@Injectable()
export class SecurityEvents implements OnModuleInit {
  private readonly logger = new Logger('SecurityEvent');

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  private emitter: SecurityEventEmitter | undefined;

  async onModuleInit(): Promise<void> {
    if (this.moduleRef !== undefined) this.emitter = await findEventEmitter(this.moduleRef);
  }

  emit(type: string, fields: Omit<SecurityEvent, 'type' | 'at'> = {}): SecurityEvent {
    const event: SecurityEvent = { ...fields, type, at: this.clock.now() };
    this.logger.log({ msg: `security event ${type}`, event });
    this.emitter?.emit(SECURITY_EVENT_PREFIX + type, event);
    return event;
  }
}

/** The app's `EventEmitter2`, or `undefined` when `@nestjs/event-emitter` is not installed or `EventEmitterModule` is not registered. */
async function findEventEmitter(moduleRef: ModuleRef): Promise<SecurityEventEmitter | undefined> {
  let token: unknown;
  try {
    ({ EventEmitter2: token } = await import('@nestjs/event-emitter'));
  } catch {
    return undefined;
  }
  return registered(moduleRef, token as new () => SecurityEventEmitter);
}

/** The provider registered under `token` anywhere in the app, or `undefined`. */
function registered<T>(moduleRef: ModuleRef, token: new () => T): T | undefined {
  try {
    return moduleRef.get(token, { strict: false });
  } catch {
    return undefined;
  }
}
