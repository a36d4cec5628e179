import { Module } from '@nestjs/common';
import { ApiKeyEndpointsModule, ApiKeysModule, ClientCredentialsModule } from '@gatehouse/api-keys';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';
import { DEMO_AUDIENCE } from '../tokens/tokens-demo.module.js';

/**
 * A second audience the demo may mint service tokens for: a neighbouring service. The demo
 * itself accepts only `DEMO_AUDIENCE`, so such a token is refused here, as RFC 9700 §2.3 asks.
 */
export const DEMO_BILLING_AUDIENCE = 'urn:gatehouse:demo:billing-api';

/**
 * API keys in the demo: `gh_live_…` keys (`API_KEY_PREFIX` to change), the library's management
 * endpoints under `/api-keys`, keys accepted on `/me` and `/orders` (their controllers carry
 * `@ApiKeyAuth()`), and `POST /oauth/token` exchanging a key for a service token. Per-key and
 * anonymous rate limits live in `src/rate-limits`.
 */
@Module({
  imports: [
    ApiKeysModule.forRootAsync({
      inject: [DEMO_CONFIG],
      // With rate limits off (benchmarks) refused keys do not block their address either.
      useFactory: (config: DemoConfig) => ({ prefix: config.apiKeyPrefix, ...(config.rateLimitsEnabled ? {} : { failureLimit: 0 }) }),
    }),
    ClientCredentialsModule.forRoot({ audiences: [DEMO_AUDIENCE, DEMO_BILLING_AUDIENCE], defaultAudience: DEMO_AUDIENCE }),
    ApiKeyEndpointsModule.forRoot(),
  ],
})
export class ApiKeysDemoModule {}
