import { documentedDefaults, documentedLiteralDefaults } from './testing.js';
import { withDefaults } from './options-defaults.js';

interface Sample {
  name?: string;
  count?: number;
  limit?: number | null;
  extra?: string;
}

describe('withDefaults', () => {
  const defaults = { name: 'x', count: 3, limit: 7 } satisfies Partial<Sample>;

  it('fills every missing field from the defaults', () => {
    expect(withDefaults<Sample, typeof defaults>(defaults, {})).toEqual({ name: 'x', count: 3, limit: 7 });
    expect(withDefaults<Sample, typeof defaults>(defaults, undefined)).toEqual({ name: 'x', count: 3, limit: 7 });
  });

  it('lets a given value win, null included, but never an undefined one', () => {
    expect(withDefaults<Sample, typeof defaults>(defaults, { name: 'y', count: undefined, limit: null, extra: 'e' })).toEqual({ name: 'y', count: 3, limit: null, extra: 'e' });
  });

  it('leaves the defaults object untouched', () => {
    withDefaults<Sample, typeof defaults>(defaults, { count: 9 });
    expect(defaults.count).toBe(3);
  });
});

describe('documentedDefaults', () => {
  const source = [
    'export interface Other {',
    '  /** Not this one. Default `1`. */',
    '  a?: number;',
    '}',
    'export interface Sample {',
    "  /** A name. Default `'x'` (short). */",
    '  name?: string;',
    '  /** A count. Default 60 000 (one minute). */',
    '  count?: number;',
    '  /** Lifetime. Default 3 days. */',
    '  days?: number;',
    '  /** Turned on. Default `true`; `false` turns it off. */',
    '  on?: boolean;',
    "  /** Types. Default `['a', 'b']`. */",
    '  types?: string[];',
    '  /** Derived. Default `true`, or `false` with another option. */',
    '  derived?: boolean;',
    '  /** Required. */',
    '  required: string;',
    '}',
  ].join('\n');

  it('reads the text after "Default" for each field of the named interface only', () => {
    expect(documentedDefaults(source, 'Sample')).toEqual(
      new Map([
        ['name', "`'x'` (short)."],
        ['count', '60 000 (one minute).'],
        ['days', '3 days.'],
        ['on', '`true`; `false` turns it off.'],
        ['types', "`['a', 'b']`."],
        ['derived', '`true`, or `false` with another option.'],
      ]),
    );
  });

  it('keeps the plain literals and skips defaults described in words', () => {
    expect(documentedLiteralDefaults(source, 'Sample')).toEqual({ name: 'x', count: 60_000, on: true, types: ['a', 'b'] });
  });
});
