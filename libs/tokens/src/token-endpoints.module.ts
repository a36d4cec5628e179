import { Controller, Module, type DynamicModule, type Type } from '@nestjs/common';
import { AuthorizationServerMetadataController } from './authorization-server-metadata.controller.js';
import { IntrospectionController } from './introspection.controller.js';
import { JwksController } from './jwks.controller.js';
import { RefreshController } from './refresh.controller.js';
import { RevocationController } from './revocation.controller.js';
import { SignInController } from './sign-in.controller.js';
import { SignOutController } from './sign-out.controller.js';
import { resolveTokenEndpointsOptions, type ResolvedTokenEndpointsOptions, type TokenEndpointsOptions } from './token-endpoints-options.interface.js';
import { TOKEN_ENDPOINTS_OPTIONS } from './tokens.constants.js';

const CONTROLLERS: Array<[keyof ResolvedTokenEndpointsOptions, Type]> = [
  ['signIn', SignInController],
  ['refresh', RefreshController],
  ['signOut', SignOutController],
  ['revocation', RevocationController],
  ['introspection', IntrospectionController],
  ['jwks', JwksController],
  ['metadata', AuthorizationServerMetadataController],
];

/** A subclass of `base` mounted at `path`: one endpoint class serves any configured path. */
function mounted(base: Type, path: string): Type {
  const controller = { [base.name]: class extends (base as new (...args: never[]) => object) {} }[base.name] as Type;
  Controller(path)(controller);
  return controller;
}

/**
 * The token endpoints, opt-in, each at its own path or left out with `false`: sign-in, refresh,
 * web sign-out, RFC 7009 revocation, RFC 7662 introspection, JWKS and RFC 8414 metadata. Needs
 * `TokensModule` (refresh tokens on) and, for sign-in, a `GatehouseAccounts` provider.
 *
 * @example TokenEndpointsModule.forRoot()                                   // the default paths
 * @example TokenEndpointsModule.forRoot({ signIn: '/login/token', introspection: false })
 */
@Module({})
export class TokenEndpointsModule {
  static forRoot(options: TokenEndpointsOptions = {}): DynamicModule {
    const resolved = resolveTokenEndpointsOptions(options);
    const controllers = CONTROLLERS.flatMap(([name, base]) => {
      const path = resolved[name];
      return typeof path === 'string' ? [mounted(base, path)] : [];
    });
    return {
      module: TokenEndpointsModule,
      controllers,
      providers: [{ provide: TOKEN_ENDPOINTS_OPTIONS, useValue: resolved }],
      exports: [TOKEN_ENDPOINTS_OPTIONS],
    };
  }
}
