import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, Scopes, type Principal } from '@gatehouse/core';
import { ApiKeysService, type ApiKeyView } from '@gatehouse/api-keys';
import { CreateApiKeyDto, RotateApiKeyDto } from './api-key.dto.js';

/**
 * The caller's API keys. Only the default mechanisms (bearer JWT, session cookie) reach these
 * routes: there is no `@ApiKeyAuth()`, so a key cannot manage keys, and the library refuses
 * service tokens too. Responses that carry a key are never cached.
 */
@Scopes('api-keys:manage')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** 201 with the key: the only time it is shown. */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    const { key, apiKey } = await this.keys.create(principal, body);
    return { ...apiKey, key };
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(principal);
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ApiKeyView> {
    return this.keys.get(principal, id);
  }

  /** 201 with the new key; the old one keeps working for the grace period (default 24 h). */
  @Post(':id/rotate')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RotateApiKeyDto,
  ): Promise<ApiKeyView & { key: string; previous: ApiKeyView }> {
    const { key, apiKey, previous } = await this.keys.rotate(principal, id, {
      ...(body.gracePeriodSeconds !== undefined ? { graceMs: body.gracePeriodSeconds * 1000 } : {}),
      ...(body.expiresInDays !== undefined ? { expiresInDays: body.expiresInDays } : {}),
    });
    return { ...apiKey, key, previous };
  }

  /** 204: revoked at once, on every instance. */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(principal, id);
  }
}
