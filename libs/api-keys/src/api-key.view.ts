import type { ApiKeyRecord } from './api-key-store.interface.js';

/** Where a key stands at a given time. */
export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

/** A key as its owner may see it: never the key, never its hash. Times are ISO 8601. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** Prefix and last four characters, e.g. `gh_live_…x9Qz`. */
  hint: string;
  scopes: string[];
  status: ApiKeyStatus;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Written behind: up to a minute (the write interval) behind the truth. */
  lastUsedAt: string | null;
  usageCount: number;
  rotatedFromId: string | null;
  replacedById: string | null;
}

const iso = (time: number | null): string | null => (time === null ? null : new Date(time).toISOString());

/** The owner-facing view of a stored key at `now`. */
export function toApiKeyView(record: ApiKeyRecord, now: number): ApiKeyView {
  const status: ApiKeyStatus =
    record.revokedAt !== null ? 'revoked' : record.expiresAt !== null && now >= record.expiresAt ? 'expired' : 'active';
  return {
    id: record.id,
    name: record.name,
    hint: record.hint,
    scopes: record.scopes.split(' ').filter(Boolean),
    status,
    createdAt: iso(record.createdAt) as string,
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    lastUsedAt: iso(record.lastUsedAt),
    usageCount: Number(record.usageCount),
    rotatedFromId: record.rotatedFromId,
    replacedById: record.replacedById,
  };
}
