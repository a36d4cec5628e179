import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GatehouseError, MechanismRegistry, readCookies, readHeader, type CredentialMechanism, type GatehouseRequest } from '@gatehouse/core';

// Test-only mechanisms standing in for the real libraries: a bearer ("jwt"), a header key
// ("api-key") and a cookie ("session"), each accepting exactly one credential value.
function fakeMechanism(name: string, ambient: boolean, extract: (request: GatehouseRequest) => string | undefined, good: string, scopes: string[]): CredentialMechanism {
  return {
    name,
    ambient,
    extract,
    authenticate: (credential) => {
      if (credential === 'expired') throw new GatehouseError('token_expired', { mechanism: name });
      if (credential !== good) throw new GatehouseError(name === 'api-key' ? 'invalid_api_key' : 'invalid_token', { mechanism: name });
      return { kind: name === 'api-key' ? 'api-key' : 'user', subject: `${name}-subject`, scopes, credential: { mechanism: name, id: `${name}-id` } };
    },
    challenge: (error) => (name === 'jwt' ? `Bearer realm="test"${error ? ', error="invalid_token"' : ''}` : undefined),
  };
}

const bearer = (request: GatehouseRequest): string | undefined => {
  const header = readHeader(request, 'authorization');
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
};

/** How many times the fake session mechanism has read its cookie. */
export const sessionCookieReads = { count: 0 };

/** Registers the three fakes under the built-in names, as the libraries would. */
@Injectable()
export class FakeMechanisms implements OnModuleInit {
  constructor(private readonly registry: MechanismRegistry) {}
  onModuleInit(): void {
    this.registry.register(fakeMechanism('jwt', false, bearer, 'good-jwt', ['orders:read']));
    this.registry.register(fakeMechanism('api-key', false, (r) => readHeader(r, 'x-api-key'), 'good-key', ['orders:read', 'orders:write']));
    this.registry.register(fakeMechanism('session', true, (r) => {
      sessionCookieReads.count += 1;
      return readCookies(r, 'sid')[0];
    }, 'good-session', ['orders:read']));
  }
}

