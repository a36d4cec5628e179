import { addressBucket, clientAddressOf, compileTrustProxy } from './client-address.js';
import type { GatehouseModuleOptions } from './gatehouse-options.interface.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';

/**
 * The client address of a request as the module's `trustProxy` option reads it, and the bucket
 * per-address limits count it in. Use it (or `request.ip` with the adapter's `trust proxy` set
 * to the same value) for the `ip` given to `SignIn.verify()`. Provided by `GatehouseModule`.
 */
export class ClientAddresses {
  private readonly trust: (address: string, hop: number) => boolean;

  constructor(trustProxy: GatehouseModuleOptions['trustProxy']) {
    this.trust = compileTrustProxy(trustProxy);
  }

  /** The client's address: the socket peer, or what trusted proxies forwarded. */
  of(request: GatehouseRequest): string | undefined {
    return clientAddressOf(request, this.trust);
  }

  /** The per-address bucket of the request: its IPv4 address, or its IPv6 /64. */
  bucketOf(request: GatehouseRequest): string {
    return addressBucket(this.of(request));
  }
}
