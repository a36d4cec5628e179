/// <reference lib="dom" />
// Code passed to page.evaluate() runs in Chromium, so this file also speaks the DOM.
import request from 'supertest';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { SessionService } from '@gatehouse/sessions';
import { ACCOUNT_PAGE_CSP } from '../../src/account/account-page.controller.js';
import { ROOMY_LIMITS } from '../api-keys/api-key-helpers.js';
import { registerUser, PASSWORD } from '../sessions/session-helpers.js';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { attr, launchChromium, startAttackerSite, type AttackerSite } from './browser-support.js';

describe.each(ADAPTERS)('the account page in Chromium (%s)', (adapter) => {
  let demo: RunningDemo;
  let browser: Browser;
  /** Another site: a different loopback address. */
  let crossSite: AttackerSite;
  /** The same site, another origin: 127.0.0.1 on another port (SameSite=Lax cookies do go along). */
  let sameSite: AttackerSite;
  let context: BrowserContext;
  let page: Page;
  let user: { email: string; id: string };
  const problems: string[] = [];

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
    [browser, crossSite, sameSite] = await Promise.all([launchChromium(), startAttackerSite('127.0.0.2'), startAttackerSite('127.0.0.1')]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([crossSite?.close(), sameSite?.close(), demo?.close()]);
  });

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    problems.splice(0);
    // A CSP violation or a script error on the account page is a failure of the page.
    page.on('console', (message) => {
      // A refused request (401 before sign-in, the 403s below) is logged by Chromium too: not a page fault.
      if (message.type() === 'error' && page.url().startsWith(demo.url) && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    user = await registerUser(demo, 'browser');
  });
  afterEach(async () => {
    await context.close();
  });

  const sessionCookie = async (): Promise<Cookie | undefined> => (await context.cookies(demo.url)).find((cookie) => cookie.name === '__Host-session');
  const status = () => page.locator('#status');

  async function signInThroughThePage(email = user.email): Promise<void> {
    const response = await page.goto(`${demo.url}/account`);
    expect(response?.headers()['content-security-policy']).toBe(ACCOUNT_PAGE_CSP);
    await page.locator('#sign-in input[name=email]').fill(email);
    await page.locator('#sign-in input[name=password]').fill(PASSWORD);
    await page.locator('#sign-in button[type=submit]').click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    await page.locator('#devices li').first().waitFor();
  }

  /** The caller's API keys, read with the browser's own session (cookie + CSRF). */
  const keysOf = async (): Promise<Array<{ id: string; name: string; status: string; rotatedFromId: string | null }>> =>
    page.evaluate(async () => (await fetch('/api-keys')).json());

  /** Loads `html` from an attacker origin and waits until its form lands on the demo. */
  async function submitFrom(site: AttackerSite, path: string, html: string): Promise<string> {
    const landed = page.waitForResponse((response) => response.url().startsWith(demo.url) && response.request().method() === 'POST');
    await page.goto(site.page(path, html));
    const response = await landed;
    return `${response.status()} ${(await response.json()).code}`;
  }

  const autoSubmit = (action: string, enctype: string, fields: Array<[string, string]>): string =>
    `<!doctype html><form method="POST" action="${attr(action)}" enctype="${enctype}">` +
    fields.map(([name, value]) => `<input type="hidden" name="${attr(name)}" value="${attr(value)}">`).join('') +
    '</form><script>document.forms[0].submit()</script>';

  it('stores the session cookie HttpOnly, Secure, SameSite=Lax, host-only on Path=/, on http://127.0.0.1', async () => {
    await signInThroughThePage();
    const cookie = await sessionCookie();
    // Chromium treats 127.0.0.1 as potentially trustworthy, so it keeps a Secure, __Host- cookie over plain HTTP.
    expect(cookie).toMatchObject({ name: '__Host-session', httpOnly: true, secure: true, sameSite: 'Lax', path: '/', domain: '127.0.0.1' });
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // The page's script never sees it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('__Host-session');
    expect(problems).toEqual([]);
  });

  it('creates, rotates and revokes API keys through the page, showing each key once', async () => {
    await signInThroughThePage();
    await page.locator('#create-key input[name=name]').fill('laptop script');
    await page.locator('#create-key button[type=submit]').click();
    await page.locator('#new-key').waitFor({ state: 'visible' });
    const shown = await page.locator('#new-key-value').textContent();
    expect(shown).toMatch(/^gh_live_[0-9A-Za-z]{49}$/);
    await request(demo.http).get('/me').set('X-API-Key', shown!).expect(200);
    await page.locator('#keys li[data-status=active] button', { hasText: 'Rotate' }).click();
    await page.waitForFunction((old) => document.getElementById('new-key-value')?.textContent !== old, shown);
    const rotated = await page.locator('#new-key-value').textContent();
    expect(rotated).not.toBe(shown);
    // The list never shows a key again.
    expect(await page.locator('#keys').textContent()).not.toContain(rotated!.slice(8, 30));
    // The list now holds the new key and the old one in its grace period, both active.
    await page.waitForFunction(() => document.querySelectorAll('#keys li[data-status=active]').length === 2);
    await request(demo.http).get('/me').set('X-API-Key', shown!).expect(200);
    // Revoking the new key also ends its predecessor still in grace.
    const successor = (await keysOf()).find((key) => key.rotatedFromId !== null)!;
    await page.locator(`#keys li[data-id="${successor.id}"]`).getByRole('button', { name: 'Revoke' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#keys li[data-status=active]').length === 0);
    await request(demo.http).get('/me').set('X-API-Key', rotated!).expect(401);
    await request(demo.http).get('/me').set('X-API-Key', shown!).expect(401);
    expect(problems).toEqual([]);
  });

  it('refuses an unsafe request without the CSRF token, and accepts it with the token', async () => {
    await signInThroughThePage();
    const attempt = (token: string | null) =>
      page.evaluate(async (csrf) => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (csrf !== null) headers['X-CSRF-Token'] = csrf;
        const response = await fetch('/api-keys', { method: 'POST', headers, body: JSON.stringify({ name: 'by hand', scopes: ['orders:read'] }) });
        return { status: response.status, code: (await response.json()).code as string | undefined };
      }, token);
    expect(await attempt(null)).toEqual({ status: 403, code: 'csrf_token_invalid' });
    expect(await attempt('not-the-token')).toEqual({ status: 403, code: 'csrf_token_invalid' });
    expect(await keysOf()).toEqual([]);
    const token = await page.evaluate(async () => (await (await fetch('/auth/csrf')).json()).csrfToken as string);
    expect((await attempt(token)).status).toBe(201);
    expect(await keysOf()).toHaveLength(1);
  });

  it.each([
    // Chromium withholds the SameSite=Lax cookie from a cross-site POST: the request arrives signed out.
    ['another site (127.0.0.2)', () => crossSite, '401 credentials_missing'],
    // From the same site the cookie goes along: the Fetch Metadata / Origin check refuses it.
    ['the same site on another port', () => sameSite, '403 cross_site_request'],
  ])('a form post from %s creates no key and signs no device out', async (_label, site, refusal) => {
    await signInThroughThePage();
    const other = await request(demo.http).post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const otherCookie = ([] as string[]).concat(other.headers['set-cookie'] ?? [])[0]!.split(';', 1)[0]!;
    // text/plain forms can carry a JSON-looking body without a CORS preflight.
    const json = autoSubmit(`${demo.url}/api-keys`, 'text/plain', [['{"name":"csrf","scopes":["orders:read"],"x":"', '"}']]);
    expect(await submitFrom(site(), '/key.html', json)).toBe(refusal);
    const urlencoded = autoSubmit(`${demo.url}/auth/sessions/revoke-others`, 'application/x-www-form-urlencoded', [['a', 'b']]);
    expect(await submitFrom(site(), '/others.html', urlencoded)).toBe(refusal);
    await page.goto(`${demo.url}/account`);
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    expect(await keysOf()).toEqual([]);
    await request(demo.http).get('/me').set('Cookie', otherCookie).expect(200);
  });

  it.each([
    ['another site (127.0.0.2)', () => crossSite],
    ['the same site on another port', () => sameSite],
  ])('a cross-origin fetch from %s, with credentials, creates nothing', async (_label, site) => {
    await signInThroughThePage();
    const token = await page.evaluate(async () => (await (await fetch('/auth/csrf')).json()).csrfToken as string);
    await page.goto(site().page('/blank.html', '<!doctype html><title>elsewhere</title>'));
    const outcomes = await page.evaluate(
      async ({ target, csrf }) => {
        const body = JSON.stringify({ name: 'cross-origin', scopes: ['orders:read'] });
        const results: string[] = [];
        // Needs a CORS preflight (JSON, custom header): the demo grants none, so it is never sent.
        try {
          const response = await fetch(`${target}/api-keys`, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body });
          results.push(`cors:${response.status}`);
        } catch {
          results.push('cors:blocked');
        }
        // A "simple" request goes out without a preflight; the attacker cannot read the answer.
        const opaque = await fetch(`${target}/api-keys`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body });
        results.push(`no-cors:${opaque.type}`);
        return results;
      },
      { target: demo.url, csrf: token },
    );
    expect(outcomes).toEqual(['cors:blocked', 'no-cors:opaque']);
    await page.goto(`${demo.url}/account`);
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    expect(await keysOf()).toEqual([]);
  });

  it.each([
    ['another site (127.0.0.2)', () => crossSite],
    ['the same site on another port', () => sameSite],
  ])('login CSRF from %s fails: the victim stays signed in as themself', async (_label, site) => {
    await signInThroughThePage();
    const before = await sessionCookie();
    const attacker = await registerUser(demo, 'attacker');
    const form = autoSubmit(`${demo.url}/auth/login`, 'application/x-www-form-urlencoded', [['email', attacker.email], ['password', PASSWORD]]);
    // No cookie is needed to sign in, so only the server's origin check stands in the way.
    expect(await submitFrom(site(), '/login.html', form)).toBe('403 cross_site_request');
    const jsonish = autoSubmit(`${demo.url}/auth/login`, 'text/plain', [[`{"email":"${attacker.email}","password":"${PASSWORD}","x":"`, '"}']]);
    expect(await submitFrom(site(), '/login-json.html', jsonish)).toBe('403 cross_site_request');
    expect((await sessionCookie())?.value).toBe(before!.value);
    expect(await demo.app.get(SessionService).list(attacker.id)).toEqual([]);
    const me = await page.evaluate(async () => (await (await fetch('/me')).json()).subject as string);
    expect(me).toBe(user.id);
  });

  it.each([
    ['another site (127.0.0.2)', () => crossSite],
    ['the same site on another port', () => sameSite],
  ])('login CSRF on the token endpoint from %s fails: the victim\'s refresh cookie still signs in the victim', async (_label, site) => {
    await page.goto(`${demo.url}/account`);
    // The victim's web client signs in with cookie delivery, as a same-origin script would.
    const signedIn = await page.evaluate(
      async ([email, password]) =>
        (await fetch('/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, delivery: 'cookie' }) })).status,
      [user.email, PASSWORD],
    );
    expect(signedIn).toBe(200);
    const refreshCookie = async (): Promise<Cookie | undefined> =>
      (await context.cookies(`${demo.url}/auth/refresh`)).find((cookie) => cookie.name === '__Secure-refresh_token');
    const before = await refreshCookie();
    expect(before).toBeDefined();
    const attacker = await registerUser(demo, 'attacker');
    const fields: Array<[string, string]> = [['email', attacker.email], ['password', PASSWORD], ['delivery', 'cookie']];
    expect(await submitFrom(site(), '/token.html', autoSubmit(`${demo.url}/auth/token`, 'application/x-www-form-urlencoded', fields))).toBe('403 cross_site_request');
    expect((await refreshCookie())?.value).toBe(before!.value);
    // The victim's next refresh still yields the victim's own access token.
    const subject = await page.evaluate(async () => {
      const response = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const token = ((await response.json()) as { access_token: string }).access_token;
      return (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string }).sub;
    });
    expect(subject).toBe(user.id);
  });

  it('"sign out everywhere else" ends the other devices and keeps this one', async () => {
    const other = await request(demo.http).post('/auth/login').set('User-Agent', 'OtherDevice/1.0').send({ email: user.email, password: PASSWORD }).expect(200);
    const otherCookie = ([] as string[]).concat(other.headers['set-cookie'] ?? [])[0]!.split(';', 1)[0]!;
    await signInThroughThePage();
    await page.locator('#devices li', { hasText: 'OtherDevice/1.0' }).waitFor();
    await page.locator('#revoke-others').click();
    await page.waitForFunction(() => document.querySelectorAll('#devices li').length === 1);
    await request(demo.http).get('/me').set('Cookie', otherCookie).expect(401);
    expect(await page.locator('#devices li').textContent()).toContain('this device');
    expect(problems).toEqual([]);
  });

  it('"sign out this device" on another device ends only that one', async () => {
    const other = await request(demo.http).post('/auth/login').set('User-Agent', 'OtherDevice/2.0').send({ email: user.email, password: PASSWORD }).expect(200);
    const otherCookie = ([] as string[]).concat(other.headers['set-cookie'] ?? [])[0]!.split(';', 1)[0]!;
    await signInThroughThePage();
    await page.locator('#devices li', { hasText: 'OtherDevice/2.0' }).getByRole('button', { name: 'Sign out this device' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#devices li').length === 1);
    await request(demo.http).get('/me').set('Cookie', otherCookie).expect(401);
    expect(await sessionCookie()).toBeDefined();
  });

  it('signing out clears the cookie and ends the session', async () => {
    await signInThroughThePage();
    const secret = (await sessionCookie())!.value;
    await page.locator('#sign-out').click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect(await status().textContent()).toBe('Signed out.');
    expect(await sessionCookie()).toBeUndefined();
    await request(demo.http).get('/me').set('Cookie', `__Host-session=${secret}`).expect(401);
    await page.reload();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect(problems).toEqual([]);
  });
});
