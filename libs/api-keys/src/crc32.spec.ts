import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32Ascii } from './crc32.js';

describe('crc32Ascii', () => {
  it('gives the CRC-32 check value and agrees with zlib on ASCII text', () => {
    expect(crc32Ascii('123456789')).toBe(0xcbf43926);
    expect(crc32Ascii('')).toBe(0);
    for (let i = 0; i < 200; i++) {
      const text = randomBytes(1 + (i % 80)).toString('base64url');
      expect(crc32Ascii(text)).toBe(crc32(text));
    }
  });

  it('covers only the first `end` characters', () => {
    expect(crc32Ascii('gh_live_abcdefXYZ', 14)).toBe(crc32('gh_live_abcdef'));
  });
});
