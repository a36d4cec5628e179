import { precheckJws, TokenRejection } from './jws-precheck.js';

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
});
