import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { checkAccessTokenClaims, type AccessTokenClaimRules } from './access-token.claims.js';

const NOW = 1_750_000_000;
const RULES: AccessTokenClaimRules = {
  issuer: 'https://auth.example',
  audiences: ['api.example', 'other.example'],
  typ: 'at+jwt',
  requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'scope'],
  toleranceSeconds: 30,
  maxTokenAgeSeconds: 900,
};
const VALID = { iss: RULES.issuer, sub: 'user-1', aud: 'api.example', exp: NOW + 600, iat: NOW, jti: 'j-1', scope: 'read' };

/** Claim sets and headers around every rule jose applies, each edge on both sides. */
const CASES: Array<[string, Record<string, unknown>, string?]> = [
  ['valid', VALID],
  ['typ missing', VALID, ''],
  ['typ upper case', VALID, 'AT+JWT'],
  ['typ with application/', VALID, 'application/at+jwt'],
  ['typ jwt', VALID, 'JWT'],
  ['aud as an array with one accepted', { ...VALID, aud: ['x', 'other.example'] }],
  ['aud as an array of none accepted', { ...VALID, aud: ['x', 'y'] }],
  ['aud empty array', { ...VALID, aud: [] }],
  ['aud a number', { ...VALID, aud: 7 }],
  ['aud wrong', { ...VALID, aud: 'api.example.evil' }],
  ['iss wrong case', { ...VALID, iss: 'https://AUTH.example' }],
  ['iss an array', { ...VALID, iss: [RULES.issuer] }],
  ['iss null', { ...VALID, iss: null }],
  ['exp missing', { ...VALID, exp: undefined }],
  ['exp a string', { ...VALID, exp: String(NOW + 600) }],
  ['exp just inside the tolerance', { ...VALID, exp: NOW - 29, iat: NOW - 600 }],
  ['exp at the tolerance', { ...VALID, exp: NOW - 30, iat: NOW - 600 }],
  ['exp a fraction', { ...VALID, exp: NOW - 29.5, iat: NOW - 600 }],
  ['iat missing', { ...VALID, iat: undefined }],
  ['iat null', { ...VALID, iat: null }],
  ['iat in the future within the tolerance', { ...VALID, iat: NOW + 30 }],
  ['iat in the future beyond the tolerance', { ...VALID, iat: NOW + 31 }],
  ['iat at the maximum age', { ...VALID, iat: NOW - 930 }],
  ['iat past the maximum age', { ...VALID, iat: NOW - 931 }],
  ['nbf now', { ...VALID, nbf: NOW }],
  ['nbf within the tolerance', { ...VALID, nbf: NOW + 30 }],
  ['nbf beyond the tolerance', { ...VALID, nbf: NOW + 31 }],
  ['nbf a string', { ...VALID, nbf: 'soon' }],
  ['nbf null', { ...VALID, nbf: null }],
  ['jti missing', { ...VALID, jti: undefined }],
  ['scope missing', { ...VALID, scope: undefined }],
  ['sub missing', { ...VALID, sub: undefined }],
  ['sub null (present)', { ...VALID, sub: null }],
  ['expired and wrong issuer', { ...VALID, iss: 'x', exp: NOW - 3600, iat: NOW - 4000 }],
  ['expired and no nbf rule broken', { ...VALID, exp: NOW - 3600, iat: NOW - 3700 }],
  ['nbf and exp both broken', { ...VALID, nbf: NOW + 100, exp: NOW - 100 }],
  ['claims named like Object members', { ...VALID, constructor: 'x', toString: 1 }],
];

const describeError = (error: unknown): string => {
  const { name, claim } = error as { name: string; claim?: string };
  return `${name}${claim ? `:${claim}` : ''}`;
};

describe('checkAccessTokenClaims agrees with jose jwtVerify', () => {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  beforeAll(async () => {
    ({ privateKey, publicKey } = await generateKeyPair('EdDSA'));
  });

  it.each(CASES)('%s', async (_name, claims, typ = 'at+jwt') => {
    const payload = JSON.parse(JSON.stringify(claims)) as JWTPayload;
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', ...(typ ? { typ } : {}) }).sign(privateKey);
    const jose = await jwtVerify(token, publicKey, {
      algorithms: ['EdDSA'],
      issuer: RULES.issuer,
      audience: [...RULES.audiences],
      typ: RULES.typ,
      requiredClaims: [...RULES.requiredClaims],
      clockTolerance: RULES.toleranceSeconds,
      maxTokenAge: RULES.maxTokenAgeSeconds,
      currentDate: new Date(NOW * 1000),
    }).then(() => 'accept', describeError);
    const header = typ ? { alg: 'EdDSA', typ } : { alg: 'EdDSA' };
    let ours: string;
    try {
      checkAccessTokenClaims(header, payload as Record<string, unknown>, RULES, NOW * 1000 + 999);
      ours = 'accept';
    } catch (error) {
      ours = describeError(error);
    }
    expect(ours).toBe(jose);
  });

  it('reads the clock in whole seconds, as jose does', () => {
    expect(() => checkAccessTokenClaims({ typ: 'at+jwt' }, { ...VALID, exp: NOW - 30, iat: NOW - 600 }, RULES, (NOW + 1) * 1000 - 1)).toThrow(
      expect.objectContaining({ name: 'JWTExpired' }) as unknown as Error,
    );
  });
});
