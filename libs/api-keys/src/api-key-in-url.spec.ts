import { apiKeyPattern, generateApiKey } from './api-key.format.js';
import { findsApiKeyInUrl } from './api-key-in-url.js';

describe('findsApiKeyInUrl', () => {
  const pattern = apiKeyPattern(['gh_live', 'gh_test']);
  const names = new Set(['api_key', 'apikey', 'key']);
  const key = generateApiKey('gh_live');
  const finds = (url: string) => findsApiKeyInUrl(url, pattern, names);

  it.each([
    `/orders?api_key=${key}`,
    '/orders?api_key=anything',
    '/orders?API_KEY=anything',
    '/orders?apiKey=x',
    '/orders?apikey=x',
    '/orders?key',
    '/orders?a=1&key=x',
    '/orders?a=1;key=x',
    '/orders?%6Bey=x',
    '/orders?api%5Fkey=x',
    `/orders?token=${key}`,
    `/orders?q=${encodeURIComponent(`bearer ${key}`)}`,
    `/orders/${key}`,
    `/orders?bad=%E0%A4%A&api_key=1`,
    `/${generateApiKey('gh_test')}`,
  ])('refuses %s', (url) => {
    expect(finds(url)).toBe(true);
  });

  it.each(['/orders', '/orders?limit=10', '/orders?monkey=1', '/orders?keys=1', '/orders?q=gh_live_short', '/orders?%E0%A4%A=1'])(
    'lets %s through',
    (url) => {
      expect(finds(url)).toBe(false);
    },
  );

  it('finds a percent-encoded key', () => {
    const encoded = [...key].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
    expect(finds(`/orders?q=${encoded}`)).toBe(true);
  });
});
