import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Clock, GatehouseMechanism, type GatehouseRequest, type Principal } from '@gatehouse/core';

/** A webhook sender: its shared secret and the scopes its calls get. */
export interface WebhookPartner {
  secret: string;
  scopes: string[];
}

/** Injection token of the partners by key id: `ReadonlyMap<string, WebhookPartner>`. */
export const WEBHOOK_PARTNERS = Symbol('WEBHOOK_PARTNERS');

const WINDOW_SECONDS = 300;
const SIGNATURE = /^keyId=([A-Za-z0-9_-]{1,64}),t=(\d{1,12}),v1=([0-9a-f]{64})$/;

/**
 * `X-Signature: keyId=<id>,t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>." + the raw body>`.
 * A signature older or newer than five minutes is expired; one seen before is a replay. Needs
 * the raw body: `NestFactory.create(AppModule, { rawBody: true })`. Seen signatures are kept per
 * instance; behind a load balancer, back `seen` with a shared store (e.g. Redis `SET NX EX`).
 */
@Injectable()
export class HmacSignatureMechanism extends GatehouseMechanism {
  readonly name = 'hmac';
  protected override readonly scheme = 'Signature';
  override readonly errors = {
    signature_invalid: { status: 401, message: 'The request signature is invalid.' },
    signature_expired: { status: 401, message: 'The request signature is outside the replay window.' },
    signature_replayed: { status: 401, message: 'The request signature was already used.' },
  };
  private readonly seen = new LRUCache<string, true>({ max: 100_000, ttl: 2 * WINDOW_SECONDS * 1000 });

  constructor(
    @Inject(WEBHOOK_PARTNERS) private readonly partners: ReadonlyMap<string, WebhookPartner>,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  extract(request: GatehouseRequest): string | undefined {
    return this.header(request, 'x-signature');
  }

  authenticate(signature: string, request: GatehouseRequest): Principal {
    const [, keyId, timestamp, mac] = SIGNATURE.exec(signature) ?? this.refuse('signature_invalid', {}, { malformed: true });
    const partner = this.partners.get(keyId);
    if (!partner) this.refuse('signature_invalid');
    if (!request.rawBody && request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0') {
      throw new TypeError('HmacSignatureMechanism needs the raw body: create the app with { rawBody: true }');
    }
    if (Math.abs(this.clock.now() / 1000 - Number(timestamp)) > WINDOW_SECONDS) this.refuse('signature_expired');
    const expected = createHmac('sha256', partner.secret).update(`${timestamp}.`).update(request.rawBody ?? Buffer.alloc(0)).digest();
    if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) this.refuse('signature_invalid');
    if (this.seen.has(mac)) this.refuse('signature_replayed');
    this.seen.set(mac, true);
    return Object.freeze({
      kind: 'service',
      subject: keyId,
      scopes: Object.freeze([...partner.scopes]),
      credential: Object.freeze({ mechanism: this.name, id: `${keyId}@${timestamp}` }),
    });
  }
}
