import { MechanismRegistry, type GatehouseRequest } from '@gatehouse/core';
import { createApiKeysTestbed, user, type ApiKeysTestbed } from '../test/api-keys-testing.js';
import { ApiKeyMechanism } from './api-key.mechanism.js';
import { ApiKeysService } from './api-keys.service.js';

const request = (headers: GatehouseRequest['headers'], ip = '203.0.113.5'): GatehouseRequest => ({ headers, method: 'GET', url: '/', ip });

describe('ApiKeyMechanism', () => {
  let bed: ApiKeysTestbed;
  let mechanism: ApiKeyMechanism;

  beforeEach(async () => {
    bed = await createApiKeysTestbed({ header: 'X-Service-Key' });
    mechanism = bed.module.get(ApiKeyMechanism);
  });
  afterEach(() => bed.close());

  it('registers itself as the non-ambient api-key mechanism', () => {
    expect(bed.module.get(MechanismRegistry).get('api-key')).toBe(mechanism);
    expect(mechanism.ambient).toBe(false);
  });

  it('extracts the configured header only; a repeated header is present but empty', () => {
    expect(mechanism.extract(request({ 'x-service-key': 'abc' }))).toBe('abc');
    expect(mechanism.extract(request({ 'x-api-key': 'abc' }))).toBeUndefined();
    expect(mechanism.extract(request({ 'x-service-key': ['a', 'b'] }))).toBe('');
  });

  it('authenticates through the verifier with the request IP', async () => {
    const { key } = await bed.module.get(ApiKeysService).create(user('alice'), { name: 'k', scopes: [] });
    const principal = await mechanism.authenticate(key, request({ 'x-service-key': key }));
    expect(principal).toMatchObject({ subject: 'alice' });
  });

  it('names the header in its challenge', () => {
    expect(mechanism.challenge()).toBe('ApiKey realm="gatehouse", header="x-service-key"');
  });
});
