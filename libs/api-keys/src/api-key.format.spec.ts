import { crc32 } from 'node:zlib';
import {
  API_KEY_CHECKSUM_LENGTH,
  API_KEY_SECRET_LENGTH,
  apiKeyChecksum,
  apiKeyHint,
  apiKeyPattern,
  encodeBase62,
  generateApiKey,
  hasValidApiKeyChecksum,
} from './api-key.format.js';

const BASE62 = /^[0-9A-Za-z]+$/;

describe('API key format', () => {
  it('is <prefix>_<43 base62 secret><6 base62 CRC32 of everything before it>', () => {
    const key = generateApiKey('gh_live');
    expect(key).toMatch(/^gh_live_[0-9A-Za-z]{49}$/);
    const head = key.slice(0, -API_KEY_CHECKSUM_LENGTH);
    expect(head.length).toBe('gh_live_'.length + API_KEY_SECRET_LENGTH);
    // Decode the checksum by hand and compare with an independent CRC32.
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const value = [...key.slice(-API_KEY_CHECKSUM_LENGTH)].reduce((sum, char) => sum * 62 + alphabet.indexOf(char), 0);
    expect(value).toBe(crc32(head));
  });

  it('carries 256 random bits: no repeats, every base62 character used', () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey('gh_test'));
    expect(new Set(keys).size).toBe(keys.length);
    const seen = new Set(keys.flatMap((key) => [...key.slice(8, 8 + API_KEY_SECRET_LENGTH)]));
    expect(seen.size).toBe(62);
    // The leading character is not always "0": the bigint encoding spans the full width.
    expect(keys.some((key) => key[8] !== '0')).toBe(true);
  });

  it('encodes base62 with fixed width and refuses overflow', () => {
    expect(encodeBase62(0n, 3)).toBe('000');
    expect(encodeBase62(61n, 2)).toBe('0z');
    expect(encodeBase62(62n, 2)).toBe('10');
    expect(encodeBase62(2n ** 256n - 1n, 43)).toMatch(BASE62);
    expect(() => encodeBase62(62n ** 6n, 6)).toThrow(RangeError);
  });

  it('accepts a generated key and rejects every single-character typo', () => {
    const key = generateApiKey('gh_live');
    expect(hasValidApiKeyChecksum(key, ['gh_live'])).toBe(true);
    let accepted = 0;
    for (let index = 8; index < key.length; index++) {
      const replacement = key[index] === 'a' ? 'b' : 'a';
      if (hasValidApiKeyChecksum(key.slice(0, index) + replacement + key.slice(index + 1), ['gh_live'])) accepted++;
    }
    expect(accepted).toBe(0);
  });

  it('rejects other prefixes, truncation, extra characters, non-base62 and non-ASCII input', () => {
    const key = generateApiKey('gh_live');
    expect(hasValidApiKeyChecksum(key, ['gh_test'])).toBe(false);
    // The prefix is covered by the checksum: relabelling a test key as live fails.
    const relabelled = `gh_test_${key.slice(8)}`;
    expect(hasValidApiKeyChecksum(relabelled, ['gh_live', 'gh_test'])).toBe(false);
    expect(hasValidApiKeyChecksum(key.slice(0, -1), ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum(`${key}0`, ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum(`x${key}`, ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum(key.replace(/.$/, '-'), ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum(key.replace(/.$/, 'é'), ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum('', ['gh_live'])).toBe(false);
    expect(hasValidApiKeyChecksum('gh_live_', ['gh_live'])).toBe(false);
  });

  it('accepts keys of every listed prefix', () => {
    const live = generateApiKey('gh_live');
    const test = generateApiKey('gh_test');
    expect(hasValidApiKeyChecksum(live, ['gh_test', 'gh_live'])).toBe(true);
    expect(hasValidApiKeyChecksum(test, ['gh_test', 'gh_live'])).toBe(true);
  });

  it('checksum helper agrees with the validator', () => {
    const head = `gh_live_${'A'.repeat(API_KEY_SECRET_LENGTH)}`;
    expect(hasValidApiKeyChecksum(head + apiKeyChecksum(head), ['gh_live'])).toBe(true);
  });

  it('publishes a scanner regex that finds keys in text but not look-alikes', () => {
    const key = generateApiKey('gh_live');
    const pattern = apiKeyPattern(['gh_live', 'gh_test']);
    expect(pattern.source).toBe('(?<![0-9A-Za-z_])(?:gh_live|gh_test)_[0-9A-Za-z]{49}(?![0-9A-Za-z])');
    expect(pattern.test(`export KEY="${key}"`)).toBe(true);
    expect(pattern.test(`/orders?token=${key}&x=1`)).toBe(true);
    expect(pattern.test(`${key}Z`)).toBe(false);
    expect(pattern.test(`xgh_live_${key.slice(8)}`)).toBe(false);
  });

  it('refuses unusable prefixes as misuse', () => {
    for (const bad of ['', 'GH', 'gh-live', '_gh', 'gh_', 'gh__live', '1gh']) {
      expect(() => generateApiKey(bad)).toThrow(TypeError);
    }
    expect(generateApiKey('acme2_prod')).toMatch(/^acme2_prod_/);
  });

  it('hints show the prefix and the last four characters only', () => {
    const key = generateApiKey('gh_live');
    expect(apiKeyHint(key)).toBe(`gh_live_…${key.slice(-4)}`);
  });
});

describe('apiKeyPattern for redaction', () => {
  it('also matches keys glued to escapes or other text', () => {
    const key = generateApiKey('gh_live');
    const loose = apiKeyPattern(['gh_live'], { bounded: false });
    expect(loose.source).toBe('(?:gh_live)_[0-9A-Za-z]{49}');
    expect(`/x?q=a%20${key}%20b`.replace(new RegExp(loose.source, 'g'), '[REDACTED]')).toBe('/x?q=a%20[REDACTED]%20b');
    expect(apiKeyPattern(['gh_live']).test(`%20${key}`)).toBe(false);
  });
});
