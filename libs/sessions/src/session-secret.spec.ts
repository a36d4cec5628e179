import { csrfTokenMatches, deriveCsrfToken, generateSessionSecret, hashSessionSecret, isSessionSecret } from './session-secret.js';

describe('session secrets', () => {
  it('are 256 random bits in base64url, all different', () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateSessionSecret));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) {
      expect(isSessionSecret(secret)).toBe(true);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as hex SHA-256', () => {
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    expect(hashSessionSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reject anything but the exact format', () => {
    for (const value of ['', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}+`, `${'A'.repeat(42)}/`, ` ${'A'.repeat(42)}`]) {
      expect(isSessionSecret(value)).toBe(false);
    }
  });
});

describe('CSRF tokens', () => {
  const secret = generateSessionSecret();

  it('are bound to one session and stable for it', () => {
    const token = deriveCsrfToken(secret);
    expect(deriveCsrfToken(secret)).toBe(token);
    expect(deriveCsrfToken(generateSessionSecret())).not.toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain(secret);
  });

  it('match only the exact token, whatever the presented length', () => {
    const token = deriveCsrfToken(secret);
    expect(csrfTokenMatches(secret, token)).toBe(true);
    for (const wrong of ['', token.slice(0, -1), `${token}A`, token.toUpperCase(), deriveCsrfToken(generateSessionSecret()), secret, hashSessionSecret(secret)]) {
      expect(csrfTokenMatches(secret, wrong)).toBe(false);
    }
  });
});
