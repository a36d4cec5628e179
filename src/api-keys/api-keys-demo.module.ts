import { Module } from '@nestjs/common';
import { ApiKeysModule } from '@gatehouse/api-keys';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';
import { ApiKeysController } from './api-keys.controller.js';

/**
 * API keys in the demo: `gh_live_…` keys (`gh_test_…` with `API_KEY_PREFIX=gh_test`), the
 * management routes under `/api-keys`, and keys accepted on `/me` and `/orders` (their
 * controllers carry `@ApiKeyAuth()`). Per-key and anonymous rate limits live in `src/rate-limits`.
 */
@Module({
  imports: [
    ApiKeysModule.forRootAsync({
      inject: [DEMO_CONFIG],
      useFactory: (config: DemoConfig) => ({ prefix: config.apiKeyPrefix }),
    }),
  ],
  controllers: [ApiKeysController],
})
export class ApiKeysDemoModule {}
