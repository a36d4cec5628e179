import { randomBytes } from 'node:crypto';
import { checkJwsStructure, isStructuralReason, precheckJws, structuralRejection, TokenRejection } from './jws-precheck.js';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: unknown, claims: unknown = { sub: 'ada' }) => `${segment(header)}.${segment(claims)}.${'A'.repeat(86)}`;
const reason = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof TokenRejection ? error.reason : 'other';
  }
  return undefined;
};

describe('precheckJws', () => {
  const header = { alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' };

  it('parses a header once per distinct segment, and shares it frozen', () => {
    const first = precheckJws(token(header, { sub: 'ada' }), 4096);
    const second = precheckJws(token(header, { sub: 'grace' }), 4096);
    expect(second.header).toBe(first.header);
    expect(Object.isFrozen(first.header)).toBe(true);
    expect(second.claims).toEqual({ sub: 'grace' });
  });

  it('checks a cached header on every token: a key-carrying or critical header is refused each time', () => {
    const embedded = token({ ...header, jwk: { kty: 'OKP' } });
    expect(reason(() => precheckJws(embedded, 4096))).toBe('embedded_key');
    expect(reason(() => precheckJws(embedded, 4096))).toBe('embedded_key');
    const critical = token({ ...header, crit: [] });
    expect(reason(() => precheckJws(critical, 4096))).toBe('crit');
    expect(reason(() => precheckJws(critical, 4096))).toBe('crit');
  });

  it('keeps working past the bound of remembered headers', () => {
    for (let i = 0; i < 200; i += 1) expect(precheckJws(token({ ...header, kid: `k${i}` }), 4096).kid).toBe(`k${i}`);
    expect(precheckJws(token(header), 4096).header).toEqual(header);
  });

  it('refuses bytes that are not UTF-8 without decoding them', () => {
    const invalid = `${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}.${segment({ sub: 'ada' })}.${'A'.repeat(86)}`;
    expect(reason(() => precheckJws(invalid, 4096))).toBe('malformed');
  });

  /** What the precheck decides about a JSON-object segment, by decoding it whatever its first character. */
  function referenceIsObject(encoded: string): boolean {
    if (encoded.length % 4 === 1) return false;
    try {
      const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64url')));
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  }

  it('refuses by the first character only segments that no decoding could make a JSON object', () => {
    const claims = segment({ sub: 'ada' });
    const starts = ['{', ' {', '\t{', '\n{', '\r{', '\uFEFF{', '\u00A0{', '[', '"', 'x{', '\u2028{'];
    const cases = [
      ...starts.map((start) => Buffer.from(`${start}"alg":"EdDSA","kid":"k1"}`).toString('base64url')),
      // Every first character of the alphabet, followed by random bytes and by the start of an object.
      ...[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].flatMap((first) => [
        `${first}${randomBytes(30).toString('base64url')}`,
        `${first}${Buffer.from('{"alg":"EdDSA","kid":"k1"}').toString('base64url').slice(1)}`,
      ]),
    ];
    for (const header of cases) {
      const checked = checkJwsStructure(`${header}.${claims}.${'A'.repeat(86)}`, 4096);
      const parsed = typeof checked !== 'string';
      // A header the reference decodes to an object passes the object check (then may lack alg or kid).
      expect([header, parsed || checked !== 'malformed']).toEqual([header, referenceIsObject(header)]);
    }
  });

  it('shares one frozen rejection per structural reason, and tells structural reasons apart', () => {
    expect(structuralRejection('malformed')).toBe(structuralRejection('malformed'));
    expect(Object.isFrozen(structuralRejection('too_long'))).toBe(true);
    expect(structuralRejection('crit').reason).toBe('crit');
    expect(['too_long', 'malformed', 'duplicate_member', 'embedded_key', 'crit', 'missing_kid'].every((name) => isStructuralReason(name as never))).toBe(true);
    expect(['unknown_kid', 'algorithm_not_allowed', 'verification_failed', 'invalid_claims', 'wrong_type'].some((name) => isStructuralReason(name as never))).toBe(false);
  });
});
