import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
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

/**
 * Emits typed security events on `@nestjs/event-emitter` (as `gatehouse.<type>`, when the app
 * registers `EventEmitterModule`) and logs each as one structured line.
 *
 * @example @OnEvent('gatehouse.refresh.reuse_detected') alert(event: SecurityEvent) {}
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('SecurityEvent');

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  emit(type: string, fields: Omit<SecurityEvent, 'type' | 'at'> = {}): SecurityEvent {
    const event: SecurityEvent = { ...fields, type, at: this.clock.now() };
    this.logger.log({ msg: `security event ${type}`, event });
    this.emitter?.emit(SECURITY_EVENT_PREFIX + type, event);
    return event;
  }
}
