import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Principal } from '@gatehouse/core';
import type { ApiKeysService } from '@gatehouse/api-keys';

/**
 * A key as `@gatehouse/api-keys` shows it to its owner (its `ApiKeyView`: never the key, never a
 * hash; the answer carries every field of it), typed here so that the sessions package does not need
 * the API-keys package to compile.
 */
export interface SettledApiKey {
  id: string;
  name: string;
  hint: string;
  scopes: string[];
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** What a password change did to the account's API keys. */
export interface ApiKeysAfterPasswordChange {
  /** Active keys that the change revoked. */
  revokedApiKeys: SettledApiKey[];
  /** Active keys that stay, because the request named them in `keepApiKeys`. */
  keptApiKeys: SettledApiKey[];
}

/**
 * The account's API keys as a password change sees them, when `@gatehouse/api-keys` is part of the
 * app. A password change revokes every active key except those the request names: a key minted by
 * whoever held the account survives only if the owner, who sees the list, chooses to keep it.
 */
@Injectable()
export class AccountApiKeys implements OnModuleInit {
  private keys: ApiKeysService | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    // `@gatehouse/api-keys` is an optional peer: without it there are no keys to settle.
    try {
      const apiKeys = await import('@gatehouse/api-keys');
      this.keys = this.moduleRef.get(apiKeys.ApiKeysService, { strict: false });
    } catch {
      this.keys = undefined;
    }
  }

  /** Revokes every active key of `owner` whose id is not in `keep`; reports both lists. */
  async afterPasswordChange(owner: Principal, keep: readonly string[]): Promise<ApiKeysAfterPasswordChange> {
    const keys = this.keys;
    if (!keys) return { revokedApiKeys: [], keptApiKeys: [] };
    const active = (await keys.list(owner)).filter((key) => key.status === 'active');
    const kept = active.filter((key) => keep.includes(key.id));
    const revoked: SettledApiKey[] = [];
    for (const key of active.filter((candidate) => !keep.includes(candidate.id))) revoked.push(await keys.revoke(owner, key.id));
    return { revokedApiKeys: revoked, keptApiKeys: kept };
  }
}
