import { Inject, Logger, Module, Optional, type OnApplicationShutdown, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_FILTER, DiscoveryModule, HttpAdapterHost, Reflector } from '@nestjs/core';
import { AuthorizeGuard } from './authorize.guard.js';
import { GatehouseCache } from './cache.interface.js';
import { Clock, SystemClock } from './clock.js';
import { DurableRevocationStore } from './durable-revocation.store.js';
import { GATEHOUSE_GLOBAL_GUARD, GATEHOUSE_OPTIONS, GATEHOUSE_REDIS_BUS } from './gatehouse.constants.js';
import { GatehouseExceptionFilter } from './gatehouse-exception.filter.js';
import { GatehouseGuard } from './gatehouse.guard.js';
import { GatehouseSockets } from './gatehouse-sockets.js';
import { GatehouseConfigurableModule, GATEHOUSE_MODULE_OPTIONS } from './gatehouse.module-definition.js';
import { resolveGatehouseOptions, type GatehouseModuleOptions, type ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { MechanismDeclarations } from './mechanism-declarations.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { MemoryCache } from './memory.cache.js';
import { MemoryRevocationStore } from './memory-revocation.store.js';
import { RedisBus } from './redis.bus.js';
import { RedisCache } from './redis.cache.js';
import { RedisRevocationStore } from './redis-revocation.store.js';
import { RevocationStore } from './revocation-store.interface.js';
import { RevocationRecord } from './revocation.entity.js';
import { rateLimitExports, rateLimitProviders } from './rate-limits.providers.js';
import { RoutePolicies } from './route-policy.js';
import { ScopesGuard } from './scopes.guard.js';
import { SecurityEvents } from './security-events.js';
import { SignIn } from './sign-in.service.js';
import { declarePrincipalSlot } from './principal-slot.js';

const providers: Provider[] = [
  {
    provide: GATEHOUSE_OPTIONS,
    inject: [GATEHOUSE_MODULE_OPTIONS],
    useFactory: (options: GatehouseModuleOptions) => resolveGatehouseOptions(options),
  },
  {
    provide: Clock,
    inject: [GATEHOUSE_MODULE_OPTIONS],
    useFactory: (options: GatehouseModuleOptions) => options.clock ?? new SystemClock(),
  },
  {
    provide: GATEHOUSE_REDIS_BUS,
    inject: [GATEHOUSE_OPTIONS],
    useFactory: async (options: ResolvedGatehouseOptions) => {
      if (!options.redisUrl) return null;
      const bus = await RedisBus.create(options.redisUrl, options.redisKeyPrefix);
      await bus.connect();
      return bus;
    },
  },
  {
    provide: GatehouseCache,
    inject: [GATEHOUSE_MODULE_OPTIONS, GATEHOUSE_OPTIONS, GATEHOUSE_REDIS_BUS],
    useFactory: (raw: GatehouseModuleOptions, options: ResolvedGatehouseOptions, bus: RedisBus | null) =>
      raw.cache ?? (bus ? new RedisCache(bus, options.cacheMaxEntries) : new MemoryCache(options.cacheMaxEntries)),
  },
  {
    provide: RevocationStore,
    inject: [GATEHOUSE_MODULE_OPTIONS, GATEHOUSE_OPTIONS, GATEHOUSE_REDIS_BUS, Clock, { token: DataSource, optional: true }],
    useFactory: async (raw: GatehouseModuleOptions, options: ResolvedGatehouseOptions, bus: RedisBus | null, clock: Clock, dataSource?: DataSource) => {
      if (raw.revocations) return raw.revocations;
      if (dataSource?.hasMetadata(RevocationRecord)) {
        // Loaded and polled in onModuleInit, once the DataSource is surely initialised.
        return new DurableRevocationStore(dataSource, clock, {
          maxEntries: options.revocationMaxEntries,
          pollIntervalMs: options.revocationPollIntervalMs,
          maxStalenessMs: options.revocationMaxStalenessMs,
          pollOverlapMs: 60_000,
        }, bus);
      }
      if (dataSource) {
        new Logger('GatehouseRevocations').warn('Revocations are kept in memory/Redis only: add coreEntities (and coreMigrations) to the DataSource to make them durable');
      }
      if (!bus) return new MemoryRevocationStore(options.revocationMaxEntries, clock);
      const store = new RedisRevocationStore(bus, options.revocationMaxEntries, clock);
      await store.load();
      return store;
    },
  },
  MechanismRegistry,
  MechanismDeclarations,
  SecurityEvents,
  SignIn,
  {
    provide: RoutePolicies,
    inject: [Reflector, GATEHOUSE_OPTIONS],
    useFactory: (reflector: Reflector, options: ResolvedGatehouseOptions) =>
      new RoutePolicies(reflector, { mechanisms: options.defaultMechanisms, strategies: options.strategies }),
  },
  ...rateLimitProviders,
  GatehouseGuard,
  ScopesGuard,
  GatehouseSockets,
  AuthorizeGuard,
  // The global guards (unless `globalGuard: false`) are added by the module definition.
  { provide: APP_FILTER, useClass: GatehouseExceptionFilter },
];

/**
 * Registers the global guard, the scope check, the error mapping and the cache, revocation and
 * clock ports. Import it once, then the mechanism libraries (`TokensModule`, `SessionsModule`,
 * `ApiKeysModule`). With `globalGuard: false` the app registers the guard itself.
 *
 * @example GatehouseModule.forRoot({ redisUrl: process.env.REDIS_URL })
 * @example GatehouseModule.forRoot({ globalGuard: false }) // then { provide: APP_GUARD, useClass: MyGuard }
 * @example GatehouseModule.forRoot({ redisUrl: process.env.REDIS_URL, mechanisms: [HmacSignatureMechanism] })
 */
@Module({
  imports: [DiscoveryModule],
  providers,
  exports: [
    GATEHOUSE_OPTIONS, Clock, GatehouseCache, RevocationStore, MechanismRegistry, RoutePolicies, SecurityEvents, SignIn, GATEHOUSE_REDIS_BUS,
    GatehouseGuard, ScopesGuard, AuthorizeGuard, GatehouseSockets, GATEHOUSE_GLOBAL_GUARD,
    ...rateLimitExports,
  ],
})
export class GatehouseModule extends GatehouseConfigurableModule implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Optional() @Inject(GATEHOUSE_REDIS_BUS) private readonly bus: RedisBus | null,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /** Declares the request's principal slot on Fastify; loads every revocation in force before the app takes requests. */
  async onModuleInit(): Promise<void> {
    // Fastify: requests are born with a `principal` property, so attaching one is a plain store.
    declarePrincipalSlot(this.adapterHost?.httpAdapter?.getInstance?.());
    if (this.revocations instanceof DurableRevocationStore) await this.revocations.start();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.revocations instanceof DurableRevocationStore) await this.revocations.stop();
  }

  /** Last, after write-behind work (usage counts) has been flushed in `beforeApplicationShutdown`. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus?.close();
  }
}
