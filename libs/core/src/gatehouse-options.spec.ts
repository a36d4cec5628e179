import { readFileSync } from 'node:fs';
import { documentedDefaults, documentedLiteralDefaults } from './documented-defaults.js';
import { GATEHOUSE_DEFAULTS, resolveGatehouseOptions } from './gatehouse-options.interface.js';
import { RATE_LIMIT_DEFAULTS, resolveRateLimitOptions } from './rate-limit-options.interface.js';

const source = (file: string): string => readFileSync(new URL(file, import.meta.url), 'utf8');
const undefinedFields = (defaults: object): Record<string, undefined> => Object.fromEntries(Object.keys(defaults).map((key) => [key, undefined]));

/** The documented literal defaults next to what the defaults object holds for the same fields. */
function heldAndDocumented(defaults: object, literals: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  return [Object.fromEntries(Object.keys(literals).map((key) => [key, (defaults as Record<string, unknown>)[key]])), literals];
}

// Each default is written once, in its defaults object; the doc comments must say the same.
describe('GatehouseModuleOptions defaults', () => {
  it('resolving {} gives exactly the defaults', () => {
    expect(resolveGatehouseOptions({})).toStrictEqual({ ...GATEHOUSE_DEFAULTS, redisUrl: undefined });
  });

  it('an explicit undefined keeps each default', () => {
    expect(resolveGatehouseOptions(undefinedFields(GATEHOUSE_DEFAULTS))).toStrictEqual({ ...GATEHOUSE_DEFAULTS, redisUrl: undefined });
  });

  it('documents every default, and each literal one as GATEHOUSE_DEFAULTS holds it', () => {
    const file = source('./gatehouse-options.interface.ts');
    const documented = documentedDefaults(file, 'GatehouseModuleOptions');
    expect(Object.keys(GATEHOUSE_DEFAULTS).filter((key) => !documented.has(key))).toEqual([]);
    const [held, literals] = heldAndDocumented(GATEHOUSE_DEFAULTS, documentedLiteralDefaults(file, 'GatehouseModuleOptions'));
    expect(held).toEqual(literals);
    expect(Object.keys(literals)).toHaveLength(Object.keys(GATEHOUSE_DEFAULTS).length);
  });
});

describe('GatehouseRateLimitOptions defaults', () => {
  it('resolving {} gives exactly the defaults', () => {
    expect(resolveRateLimitOptions({})).toStrictEqual({ ...RATE_LIMIT_DEFAULTS, enabled: true });
  });

  it('an explicit undefined keeps each default', () => {
    expect(resolveRateLimitOptions(undefinedFields(RATE_LIMIT_DEFAULTS))).toStrictEqual({ ...RATE_LIMIT_DEFAULTS, enabled: true });
  });

  it('documents every default, and each literal one as RATE_LIMIT_DEFAULTS holds it', () => {
    const file = source('./rate-limit-options.interface.ts');
    const documented = documentedDefaults(file, 'GatehouseRateLimitOptions');
    expect(Object.keys(RATE_LIMIT_DEFAULTS).filter((key) => !documented.has(key))).toEqual([]);
    const [held, literals] = heldAndDocumented(RATE_LIMIT_DEFAULTS, documentedLiteralDefaults(file, 'GatehouseRateLimitOptions'));
    expect(held).toEqual(literals);
  });

  it('documents each limit as "`<limit>` per <n> s|min", as RATE_LIMIT_DEFAULTS holds it', () => {
    const limits: Record<string, { limit: number; ttlMs: number }> = {};
    for (const [field, text] of documentedDefaults(source('./rate-limit-options.interface.ts'), 'GatehouseRateLimitOptions')) {
      const match = /^`(\d+)` per (\d+) (s|min)\b/.exec(text);
      if (match) limits[field] = { limit: Number(match[1]), ttlMs: Number(match[2]) * (match[3] === 's' ? 1_000 : 60_000) };
    }
    const [held] = heldAndDocumented(RATE_LIMIT_DEFAULTS, limits);
    expect(held).toEqual(limits);
    expect(Object.keys(limits)).toHaveLength(7);
  });
});
