import { Body, Header, HttpCode, Injectable, Param, UseGuards } from '@nestjs/common';
import { AccountOwnerGuard, CurrentPrincipal, GatehouseError, type Principal } from '@gatehouse/core';
import { ApiKeysService } from './api-keys.service.js';
import type { ApiKeyView } from './api-key.view.js';

const MAX_GRACE_SECONDS = 30 * 86_400;

const invalid = (message: string): GatehouseError => new GatehouseError('validation_failed', { message });
/** The body as an object holding only `allowed` fields: an unknown field is a 400, not silently dropped. */
const record = (body: unknown, allowed: readonly string[]): Record<string, unknown> => {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  const unknown = Object.keys(body).find((field) => !allowed.includes(field));
  if (unknown !== undefined) throw invalid('The request body has a field this endpoint does not take.');
  return body as Record<string, unknown>;
};
const optionalDays = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalid('expiresInDays must be a whole number of days.');
  return value;
};

/**
 * The caller's API keys: create (the key is shown once), list, read, rotate, revoke. Routes are
 * attached by `ApiKeyEndpointsModule`. Only the account holder gets in (`AccountOwnerGuard`):
 * neither a key nor a service token can mint or end keys. Responses that carry a key are never cached.
 */
@Injectable()
@UseGuards(AccountOwnerGuard)
export class ApiKeyEndpoints {
  constructor(protected readonly keys: ApiKeysService) {}

  /** `POST /api-keys` `{name, scopes, expiresInDays?}` → 201 with the key: the only time it is shown. */
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<ApiKeyView & { key: string }> {
    const { name, scopes, expiresInDays } = record(body, ['name', 'scopes', 'expiresInDays']);
    const days = optionalDays(expiresInDays);
    const { key, apiKey } = await this.keys.create(principal, { name: name as string, scopes: scopes as string[], ...(days === undefined ? {} : { expiresInDays: days }) });
    return { ...apiKey, key };
  }

  /** `GET /api-keys`: every key of the caller, newest first, never a secret. */
  @Header('Cache-Control', 'no-store')
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(principal);
  }

  /** `GET /api-keys/:id`; 404 for another owner's key. */
  @Header('Cache-Control', 'no-store')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ApiKeyView> {
    return this.keys.get(principal, id);
  }

  /** `POST /api-keys/:id/rotate` `{gracePeriodSeconds?, expiresInDays?}` → 201 with the new key; the old one works for the grace period (default 24 h). */
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<ApiKeyView & { key: string; previous: ApiKeyView }> {
    const { gracePeriodSeconds, expiresInDays } = record(body, ['gracePeriodSeconds', 'expiresInDays']);
    if (gracePeriodSeconds !== undefined && (typeof gracePeriodSeconds !== 'number' || !Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_SECONDS)) {
      throw invalid(`gracePeriodSeconds must be a whole number from 0 to ${MAX_GRACE_SECONDS}.`);
    }
    const days = optionalDays(expiresInDays);
    const { key, apiKey, previous } = await this.keys.rotate(principal, id, {
      ...(gracePeriodSeconds !== undefined ? { graceMs: gracePeriodSeconds * 1000 } : {}),
      ...(days !== undefined ? { expiresInDays: days } : {}),
    });
    return { ...apiKey, key, previous };
  }

  /** `DELETE /api-keys/:id` → 204: revoked at once, on every instance. */
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(principal, id);
  }
}
