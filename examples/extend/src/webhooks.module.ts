import { Global, Module } from '@nestjs/common';
import { WEBHOOK_PARTNERS, type WebhookPartner } from './hmac-signature.mechanism.js';

/**
 * The webhook senders and their shared secrets. Global, because `GatehouseModule` builds the
 * declared mechanisms and must see their dependencies. One partner here, its secret from
 * `WEBHOOK_SECRET`; without it no signature matches.
 */
@Global()
@Module({
  providers: [
    {
      provide: WEBHOOK_PARTNERS,
      useFactory: (): ReadonlyMap<string, WebhookPartner> =>
        process.env.WEBHOOK_SECRET ? new Map([['shop', { secret: process.env.WEBHOOK_SECRET, scopes: ['orders:write'] }]]) : new Map(),
    },
  ],
  exports: [WEBHOOK_PARTNERS],
})
export class WebhooksModule {}
