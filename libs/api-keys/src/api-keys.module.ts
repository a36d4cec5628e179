import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { registerSecretField, registerSecretPattern } from '@gatehouse/core';
import { API_KEYS_OPTIONS } from './api-keys.constants.js';
import { ApiKeysConfigurableModule, API_KEYS_MODULE_OPTIONS } from './api-keys.module-definition.js';
import { resolveApiKeysOptions, type ApiKeysModuleOptions, type ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyAnomalyDetector } from './api-key-anomaly.detector.js';
import { apiKeysEntities } from './api-key.entity.js';
import { apiKeyPattern } from './api-key.format.js';
import { ApiKeyInUrlMiddleware } from './api-key-in-url.middleware.js';
import { ApiKeyMechanism } from './api-key.mechanism.js';
import { ApiKeyStore } from './api-key-store.interface.js';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import { ApiKeysService } from './api-keys.service.js';
import { TypeOrmApiKeyStore } from './typeorm-api-key.store.js';

/**
 * API keys for gatehouse: registers the `api-key` mechanism (and passport strategy), the key
 * service, write-behind usage, anomaly events and the refusal of keys in URLs. Import it after
 * `GatehouseModule`; add `apiKeysEntities` to the app's DataSource (or use `autoLoadEntities`).
 *
 * @example ApiKeysModule.forRoot({ prefix: 'gh_live' })
 */
@Module({
  imports: [TypeOrmModule.forFeature(apiKeysEntities)],
  providers: [
    {
      provide: API_KEYS_OPTIONS,
      inject: [API_KEYS_MODULE_OPTIONS],
      useFactory: (options: ApiKeysModuleOptions) => {
        const resolved = resolveApiKeysOptions(options);
        // Keys that reach a URL anyway are masked wherever core redacts URLs (request logs).
        registerSecretPattern(apiKeyPattern(resolved.acceptedPrefixes, { bounded: false }));
        registerSecretField(resolved.header);
        return resolved;
      },
    },
    TypeOrmApiKeyStore,
    {
      provide: ApiKeyStore,
      inject: [API_KEYS_MODULE_OPTIONS, TypeOrmApiKeyStore],
      useFactory: (options: ApiKeysModuleOptions, typeorm: TypeOrmApiKeyStore) => options.store ?? typeorm,
    },
    ApiKeyUsageRecorder,
    ApiKeyAnomalyDetector,
    ApiKeyVerifier,
    ApiKeyMechanism,
    ApiKeyStrategy,
    ApiKeysService,
    ApiKeyInUrlMiddleware,
  ],
  exports: [API_KEYS_OPTIONS, ApiKeyStore, ApiKeyVerifier, ApiKeysService, ApiKeyUsageRecorder, ApiKeyMechanism],
})
export class ApiKeysModule extends ApiKeysConfigurableModule implements NestModule {
  constructor(@Inject(API_KEYS_OPTIONS) private readonly options: ResolvedApiKeysOptions) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.options.refuseKeysInUrl) {
      consumer.apply(ApiKeyInUrlMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    }
  }
}
