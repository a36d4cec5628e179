import { readFileSync } from 'node:fs';
import { documentedDefaults, documentedLiteralDefaults } from '@gatehouse/core/testing';
import { ISSUER_PROFILE_DEFAULTS, ISSUERS_DEFAULTS, resolveIssuersOptions, type IssuerProfile } from './issuer-profile.interface.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';
import { resolveTokenEndpointsOptions, TOKEN_ENDPOINTS_DEFAULTS } from './token-endpoints-options.interface.js';
import { TOKENS_DEFAULTS } from './tokens-options.interface.js';

// Each default is written once, in its defaults object; the doc comments must say the same.
const source = (file: string): string => readFileSync(new URL(file, import.meta.url), 'utf8');
const undefinedFields = (defaults: object): Record<string, undefined> => Object.fromEntries(Object.keys(defaults).map((key) => [key, undefined]));
const pick = (from: object, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((key) => [key, (from as Record<string, unknown>)[key]]));
const without = (from: object, key: string): Record<string, unknown> => Object.fromEntries(Object.entries(from).filter(([name]) => name !== key));

describe.each([
  { name: 'TokensModuleOptions', file: './tokens-options.interface.ts', defaults: TOKENS_DEFAULTS },
  { name: 'TokenEndpointsOptions', file: './token-endpoints-options.interface.ts', defaults: TOKEN_ENDPOINTS_DEFAULTS },
  { name: 'IssuerProfile', file: './issuer-profile.interface.ts', defaults: ISSUER_PROFILE_DEFAULTS },
  { name: 'IssuersModuleOptions', file: './issuer-profile.interface.ts', defaults: ISSUERS_DEFAULTS },
])('$name doc comments', ({ name, file, defaults }) => {
  it('document every default, and each literal one as the defaults object holds it', () => {
    const documented = documentedDefaults(source(file), name);
    expect(Object.keys(defaults).filter((key) => !documented.has(key))).toEqual([]);
    const literals = documentedLiteralDefaults(source(file), name);
    expect(pick(defaults, Object.keys(literals))).toEqual(literals);
    expect(Object.keys(literals).length).toBeGreaterThan(0);
  });
});

describe('TokensModuleOptions defaults', () => {
  const required = { issuer: 'https://auth.example.com', audience: 'api' };
  // allowInsecureLoopback only shapes how jwksUrl is read; it is not kept.
  const kept = without(TOKENS_DEFAULTS, 'allowInsecureLoopback');

  it('resolving only the required options gives exactly the defaults', () => {
    expect(pick(resolveTokensOptions(required), Object.keys(kept))).toEqual(kept);
  });

  it('an explicit undefined keeps each default', () => {
    expect(pick(resolveTokensOptions({ ...undefinedFields(TOKENS_DEFAULTS), ...required }), Object.keys(kept))).toEqual(kept);
  });
});

describe('TokenEndpointsOptions defaults', () => {
  // The metadata's token endpoint follows the refresh path unless set.
  const resolved = { ...TOKEN_ENDPOINTS_DEFAULTS, tokenEndpoint: TOKEN_ENDPOINTS_DEFAULTS.refresh, baseUrl: undefined };

  it('resolving {} gives exactly the defaults', () => {
    expect(resolveTokenEndpointsOptions({})).toStrictEqual(resolved);
  });

  it('an explicit undefined keeps each default', () => {
    expect(resolveTokenEndpointsOptions({ ...undefinedFields(TOKEN_ENDPOINTS_DEFAULTS), tokenEndpoint: undefined, baseUrl: undefined })).toStrictEqual(resolved);
  });
});

describe('IssuersModuleOptions and IssuerProfile defaults', () => {
  const profile: IssuerProfile = { issuer: 'https://idp.example.com/', jwksUrl: 'https://idp.example.com/jwks', audience: 'api' };
  const keptModule = without(ISSUERS_DEFAULTS, 'allowInsecureLoopback');
  // Types are matched case-insensitively, so they resolve to a lower-cased set.
  const keptProfile = { ...ISSUER_PROFILE_DEFAULTS, types: new Set(ISSUER_PROFILE_DEFAULTS.types.map((type) => type.toLowerCase())) };

  it('resolving only the required options gives exactly the defaults', () => {
    const resolved = resolveIssuersOptions({ issuers: [profile] });
    expect(pick(resolved, Object.keys(keptModule))).toEqual(keptModule);
    expect(pick(resolved.issuers.get(profile.issuer) ?? {}, Object.keys(keptProfile))).toEqual(keptProfile);
  });

  it('an explicit undefined keeps each default', () => {
    const resolved = resolveIssuersOptions({ ...undefinedFields(ISSUERS_DEFAULTS), issuers: [{ ...undefinedFields(ISSUER_PROFILE_DEFAULTS), ...profile }] });
    expect(pick(resolved, Object.keys(keptModule))).toEqual(keptModule);
    expect(pick(resolved.issuers.get(profile.issuer) ?? {}, Object.keys(keptProfile))).toEqual(keptProfile);
  });
});
