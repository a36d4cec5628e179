import { hasDuplicateTopLevelMembers } from './json-members.js';

describe('hasDuplicateTopLevelMembers', () => {
  it.each([
    '{"alg":"none","alg":"EdDSA"}',
    '{"sub":"user-1","x":{"sub":1},"sub":"admin"}',
    '{"a":1,"\\u0061":2}',
    '{ "a" : 1 , "a" : 2 }',
    '{"__proto__":{},"__proto__":{"admin":true}}',
    '{"x":[{"a":1},{"a":1}],"a":1,"a":2}',
  ])('finds the duplicate in %s', (json) => {
    expect(hasDuplicateTopLevelMembers(json)).toBe(true);
    expect(hasDuplicateTopLevelMembers(json, JSON.parse(json) as object)).toBe(true);
  });

  it.each([
    '{"alg":"EdDSA","typ":"at+jwt","kid":"k"}',
    '{"a":{"b":1},"c":{"b":2}}',
    '{"a":"a","b":"a"}',
    '{"a":["a","a"],"b":"\\"a\\""}',
    '{"quote\\"key":1,"quote":2}',
    '{"a":"{\\"a\\":1,","b":"]}"}',
    '{"__proto__":1,"a":2}',
    '{"1":1,"01":2}',
    '{}',
  ])('accepts %s', (json) => {
    expect(hasDuplicateTopLevelMembers(json)).toBe(false);
  });

  it('agrees with the names a generated object was built from, over 2,000 random objects', () => {
    // A seeded generator (mulberry32), so a failure names a case that can be replayed.
    let seed = 0x9e3779b9;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const names = ['a', 'b', 'sub', 'alg', '"q', '{', ']', ',', '__proto__', '\\'];
    /** A name's JSON spelling: plain, or (sometimes) with its first character as a \u escape. */
    const spell = (name: string): string => {
      const plain = JSON.stringify(name);
      if (random() < 0.3) return `"\\u${name.charCodeAt(0).toString(16).padStart(4, '0')}${plain.slice(name[0] === '"' || name[0] === '\\' ? 3 : 2)}`;
      return plain;
    };
    const value = (depth: number): string => {
      const kind = depth > 2 ? 0 : Math.floor(random() * 4);
      if (kind === 0) return pick(['1', 'true', 'null', JSON.stringify(pick(names)), '"a\\"b{[,"']);
      if (kind === 1) return `[${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(',')}]`;
      // Nested objects repeat names freely: only the top level counts.
      return `{${Array.from({ length: Math.floor(random() * 3) }, () => `${spell(pick(names))}:${value(depth + 1)}`).join(',')}}`;
    };
    let duplicates = 0;
    for (let i = 0; i < 2000; i++) {
      const members = Array.from({ length: Math.floor(random() * 6) }, () => pick(names));
      const space = random() < 0.5 ? ' ' : '';
      const json = `{${space}${members.map((name) => `${spell(name)}${space}:${space}${value(1)}`).join(`${space},${space}`)}${space}}`;
      const expected = new Set(members).size !== members.length;
      if (expected) duplicates++;
      expect([json, hasDuplicateTopLevelMembers(json)]).toEqual([json, expected]);
    }
    // Both answers were exercised.
    expect(duplicates).toBeGreaterThan(200);
    expect(duplicates).toBeLessThan(1800);
  });
});
