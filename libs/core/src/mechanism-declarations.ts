import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { DECLARED_MECHANISMS, GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { BUILT_IN_MECHANISMS, isPassportStrategy, unknownMechanismMessage } from './gatehouse.guard.js';
import { GatehouseMechanism } from './gatehouse.mechanism.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { RoutePolicies } from './route-policy.js';

/** Nest's route metadata key (`METHOD_METADATA` in `@nestjs/common/constants`): set on every HTTP handler. */
const ROUTE_METHOD_METADATA = 'method';

/**
 * Registers the mechanisms declared in `forRoot({ mechanisms })` with the guard, then, once every
 * library registered its own, checks every name the routes and options use, so a typo stops the
 * app at startup with the route that named it instead of failing its first request.
 */
@Injectable()
export class MechanismDeclarations implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(DECLARED_MECHANISMS) private readonly declared: CredentialMechanism[],
    @Inject(GATEHOUSE_OPTIONS) private readonly options: ResolvedGatehouseOptions,
    private readonly registry: MechanismRegistry,
    private readonly policies: RoutePolicies,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const mechanism of this.declared) {
      if (BUILT_IN_MECHANISMS.has(mechanism.name)) {
        throw new TypeError(`The mechanism name "${mechanism.name}" is reserved for gatehouse's own mechanism; choose another`);
      }
      if (mechanism instanceof GatehouseMechanism) mechanism.realm = this.options.realm;
      this.registry.register(mechanism);
    }
  }

  onApplicationBootstrap(): void {
    for (const name of [...this.options.defaultMechanisms, ...this.options.strategies]) this.check(name, 'the module options');
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type || !wrapper.instance) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method];
        if (typeof handler !== 'function' || Reflect.getMetadata(ROUTE_METHOD_METADATA, handler) === undefined) continue;
        const policy = this.policies.forHandler(type, handler);
        if (policy.isPublic) continue;
        for (const name of policy.mechanisms) this.check(name, `${type.name}.${method}`);
      }
    }
  }

  private check(name: string, where: string): void {
    if (this.registry.has(name) || BUILT_IN_MECHANISMS.has(name) || isPassportStrategy(name)) return;
    throw new Error(unknownMechanismMessage(name, where));
  }
}
