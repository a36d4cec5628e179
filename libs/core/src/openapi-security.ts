import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BUILT_IN_MECHANISMS } from './gatehouse.guard.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { RoutePolicies, type RoutePolicy } from './route-policy.js';

/** The part of an OpenAPI 3 document this function reads and writes (what `SwaggerModule.createDocument` returns). */
export interface OpenApiDocumentLike {
  openapi: string;
  paths: object;
  components?: object;
}

type Writable = { paths: Record<string, Record<string, unknown>>; components?: { securitySchemes?: Record<string, unknown> } };

/** What `applyGatehouseSecurity` writes on each guarded operation as `x-gatehouse`, beside `security`. */
export interface GatehouseOperationExtension {
  mechanisms: string[];
  scopes: string[];
  anyScopes: string[];
  optional: boolean;
  policies: string[];
}

export interface ApplyGatehouseSecurityOptions {
  /** The `operationIdFactory` given to `SwaggerModule.createDocument`, if any. Default: Swagger's `<Controller>_<method>`. */
  operationIdFactory?: (controllerKey: string, methodKey: string) => string;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Adds gatehouse's security to an OpenAPI document, from the same route policies the guard
 * enforces: the security schemes of the registered mechanisms (bearer JWT, API-key header,
 * session cookie, and declared mechanisms that describe themselves with `openApi()`), and on each
 * operation its `security` — one alternative per accepted mechanism, `[]` on `@Public()` routes,
 * an empty alternative `{}` on `@OptionalAuth()` routes — plus `x-gatehouse` with the mechanisms,
 * scopes, any-of scopes and policies. OpenAPI 3.0 allows scopes only for OAuth schemes, so the
 * requirement lists carry the all-of scopes from 3.1 on. Call it after the app is initialised.
 *
 * @example
 * ```ts
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
 * SwaggerModule.setup('docs', app, applyGatehouseSecurity(document, app));
 * ```
 */
export function applyGatehouseSecurity<T extends OpenApiDocumentLike>(document: T, app: INestApplicationContext, options: ApplyGatehouseSecurityOptions = {}): T {
  const policies = app.get(RoutePolicies);
  const registry = app.get(MechanismRegistry);
  const operationId = options.operationIdFactory ?? ((controllerKey: string, methodKey: string) => `${controllerKey}_${methodKey}`);
  const scopesInRequirements = !document.openapi.startsWith('3.0');

  const schemes = new Map<string, { name: string; scheme: Record<string, unknown> }>();
  for (const mechanism of registry.all()) {
    const described = mechanism.openApi?.();
    if (described) schemes.set(mechanism.name, { name: described.name, scheme: { ...described.scheme } });
  }
  const writable = document as unknown as Writable;
  writable.components ??= {};
  const securitySchemes = (writable.components.securitySchemes ??= {});
  for (const { name, scheme } of schemes.values()) securitySchemes[name] = scheme;

  const byOperation = handlerPolicies(app, policies, operationId);
  for (const item of Object.values(writable.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || typeof operation !== 'object' || operation === null) continue;
      const target = operation as { operationId?: string; security?: unknown; 'x-gatehouse'?: GatehouseOperationExtension };
      const policy = target.operationId ? policyFor(byOperation, target.operationId) : undefined;
      if (!policy) continue;
      if (policy.isPublic) {
        target.security = [];
        continue;
      }
      const accepted = policy.mechanisms.filter((name) => registry.has(name) || !BUILT_IN_MECHANISMS.has(name));
      const scopes = scopesInRequirements ? [...policy.scopes] : [];
      const requirements: Record<string, string[]>[] = accepted
        .map((name) => schemes.get(name))
        .filter((scheme): scheme is { name: string; scheme: Record<string, unknown> } => scheme !== undefined)
        .map(({ name }) => ({ [name]: scopes }));
      if (policy.optional) requirements.push({});
      // A mechanism OpenAPI cannot describe (a passport strategy): leave the document's default rather than claim "public".
      if (requirements.length > 0) target.security = requirements;
      target['x-gatehouse'] = {
        mechanisms: accepted,
        scopes: [...policy.scopes],
        anyScopes: [...policy.anyScopes],
        optional: policy.optional,
        policies: policy.policies.map((type) => type.name),
      };
    }
  }
  return document;
}

/** Route policies by operation id, for every handler of every controller. */
function handlerPolicies(app: INestApplicationContext, policies: RoutePolicies, operationId: (c: string, m: string) => string): Map<string, RoutePolicy> {
  const discovery = app.get(DiscoveryService);
  const scanner = new MetadataScanner();
  const found = new Map<string, RoutePolicy>();
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!type || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[method];
      if (typeof handler === 'function') found.set(operationId(type.name, method), policies.forHandler(type, handler));
    }
  }
  return found;
}

/** Swagger appends `_<version>` or `_<http method>` to some ids: the longest known prefix wins. */
function policyFor(byOperation: Map<string, RoutePolicy>, id: string): RoutePolicy | undefined {
  const exact = byOperation.get(id);
  if (exact) return exact;
  let best: string | undefined;
  for (const key of byOperation.keys()) {
    if (id.startsWith(`${key}_`) && (!best || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : byOperation.get(best);
}
