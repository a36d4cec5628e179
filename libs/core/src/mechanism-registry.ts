import { Injectable } from '@nestjs/common';
import type { CredentialMechanism } from './credential-mechanism.interface.js';
import { registerErrorCodes } from './error-catalog.js';

/**
 * The mechanisms known to the guard. Libraries register theirs when their module starts; the ones
 * declared in `GatehouseModule.forRoot({ mechanisms })` are registered by the module.
 */
@Injectable()
export class MechanismRegistry {
  private readonly mechanisms = new Map<string, CredentialMechanism>();

  register(mechanism: CredentialMechanism): void {
    if (this.mechanisms.has(mechanism.name)) {
      throw new TypeError(`A credential mechanism named "${mechanism.name}" is already registered`);
    }
    if (mechanism.errors) registerErrorCodes(mechanism.errors);
    this.mechanisms.set(mechanism.name, mechanism);
  }

  get(name: string): CredentialMechanism | undefined {
    return this.mechanisms.get(name);
  }

  has(name: string): boolean {
    return this.mechanisms.has(name);
  }

  all(): CredentialMechanism[] {
    return [...this.mechanisms.values()];
  }
}
