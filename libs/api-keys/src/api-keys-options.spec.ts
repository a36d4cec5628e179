import { readFileSync } from 'node:fs';
import { documentedDefaults, documentedLiteralDefaults } from '@gatehouse/core/testing';
import { API_KEYS_DEFAULTS, resolveApiKeysOptions } from './api-keys-options.interface.js';

const source = readFileSync(new URL('./api-keys-options.interface.ts', import.meta.url), 'utf8');

// Each default is written once, in API_KEYS_DEFAULTS; the doc comments must say the same.
describe('ApiKeysModuleOptions defaults', () => {
  // The header is compared case-insensitively, so it resolves lower-cased; the accepted prefixes follow the prefix.
  const resolvedDefaults = { ...API_KEYS_DEFAULTS, header: API_KEYS_DEFAULTS.header.toLowerCase(), acceptedPrefixes: [API_KEYS_DEFAULTS.prefix] };

  it('resolving {} gives exactly the defaults', () => {
    expect(resolveApiKeysOptions({})).toEqual(resolvedDefaults);
  });

  it('an explicit undefined keeps each default', () => {
    const undefinedFields = Object.fromEntries(Object.keys(API_KEYS_DEFAULTS).map((key) => [key, undefined]));
    expect(resolveApiKeysOptions({ ...undefinedFields, acceptedPrefixes: undefined, store: undefined })).toEqual(resolvedDefaults);
  });

  it('keeps null expiries (keys that never expire) instead of the defaults', () => {
    expect(resolveApiKeysOptions({ defaultExpiresInDays: null, maxExpiresInDays: null })).toMatchObject({ defaultExpiresInDays: null, maxExpiresInDays: null });
  });

  it('documents every default, and each literal one as API_KEYS_DEFAULTS holds it', () => {
    const documented = documentedDefaults(source, 'ApiKeysModuleOptions');
    expect(Object.keys(API_KEYS_DEFAULTS).filter((key) => !documented.has(key))).toEqual([]);
    const literals = documentedLiteralDefaults(source, 'ApiKeysModuleOptions');
    const held = Object.fromEntries(Object.keys(literals).map((key) => [key, (API_KEYS_DEFAULTS as Record<string, unknown>)[key]]));
    expect(held).toEqual(literals);
    expect(Object.keys(literals).length).toBeGreaterThan(15);
  });
});
