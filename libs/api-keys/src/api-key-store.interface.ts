import type { ApiKey } from './api-key.entity.js';

/** Usage of one key accumulated since its last write. */
export interface ApiKeyUsageDelta {
  id: string;
  /** Requests to add to the key's count. */
  count: number;
  /** The latest use (epoch ms). */
  lastUsedAt: number;
  /** The network of the latest use, if known. */
  network: string | undefined;
}

/** A stored key as the libraries read it. */
export type ApiKeyRecord = ApiKey;

/**
 * Where keys live. The default runs on the app's TypeORM DataSource; replace it through the
 * module's `store` option. Methods that change a key return it only when they changed it.
 */
export interface ApiKeyStore {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  /** Every key of `ownerId`, newest first, including revoked and expired ones. */
  listByOwner(ownerId: string): Promise<ApiKeyRecord[]>;
  /** Keys of `ownerId` neither revoked nor expired at `now`. */
  countActive(ownerId: string, now: number): Promise<number>;
  /** Marks the key revoked at `at` if it belongs to `ownerId` and is not revoked yet. */
  revoke(id: string, ownerId: string, at: number): Promise<ApiKeyRecord | null>;
  /**
   * Atomically: if key `id` of `ownerId` is active at `now` and was never rotated, sets its expiry
   * to `graceExpiresAt` (or keeps an earlier one), links it to `successor` and inserts `successor`.
   */
  rotate(id: string, ownerId: string, successor: ApiKeyRecord, graceExpiresAt: number, now: number): Promise<ApiKeyRecord | null>;
  /** Adds usage counts and moves last-used times forward: the whole batch or, on failure, none of it. */
  recordUsage(deltas: readonly ApiKeyUsageDelta[]): Promise<void>;
}

/** Injection token of the `ApiKeyStore` port. */
export const ApiKeyStore = Symbol('gatehouse:ApiKeyStore');
