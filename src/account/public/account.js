// The demo's account page: the session cookie does the authentication (the browser sends it; this
// script never sees it), and every unsafe request carries the session's CSRF token in
// X-CSRF-Token, exactly as docs/sessions.md describes. No framework, no build step.
let csrfToken = null;

const $ = (id) => document.getElementById(id);

/** A same-origin JSON call; unsafe methods send the CSRF token. Resolves to {status, body}. */
async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function say(message) {
  $('status').textContent = message;
}

function button(label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

function showKey(key) {
  $('new-key-value').textContent = key;
  $('new-key').hidden = false;
}

async function loadDevices() {
  const { status, body } = await call('GET', '/auth/sessions');
  if (status !== 200) return say(`Could not list devices (${body?.code ?? status}).`);
  const list = $('devices');
  list.replaceChildren();
  for (const device of body) {
    const item = document.createElement('li');
    item.dataset.id = device.id;
    const what = device.type === 'session' ? 'Browser session' : 'App (refresh token)';
    const label = document.createElement('span');
    label.textContent = `${what} · ${device.userAgent ?? 'unknown client'} · ${device.ip ?? 'unknown address'} · last seen ${device.lastSeenAt}`;
    if (device.current) {
      label.className = 'current';
      label.textContent += ' · this device';
    }
    item.append(label, ' ', button('Sign out this device', () => revokeDevice(device)));
    list.append(item);
  }
}

async function revokeDevice(device) {
  const { status, body } = await call('DELETE', `/auth/sessions/${encodeURIComponent(device.id)}`);
  if (status !== 204) return say(`Could not sign that device out (${body?.code ?? status}).`);
  if (device.current) return signedOut('This device is signed out.');
  say('That device is signed out.');
  await loadDevices();
}

async function loadKeys() {
  const { status, body } = await call('GET', '/api-keys');
  if (status !== 200) return say(`Could not list API keys (${body?.code ?? status}).`);
  const list = $('keys');
  list.replaceChildren();
  for (const key of body) {
    const item = document.createElement('li');
    item.dataset.id = key.id;
    item.dataset.status = key.status;
    const label = document.createElement('span');
    label.textContent = `${key.name} · ${key.hint} · ${key.scopes.join(' ')} · ${key.status}`;
    item.append(label);
    if (key.status === 'active') {
      if (!key.replacedById) item.append(' ', button('Rotate', () => rotateKey(key)));
      item.append(' ', button('Revoke', () => revokeKey(key)));
    }
    list.append(item);
  }
}

async function rotateKey(key) {
  const { status, body } = await call('POST', `/api-keys/${encodeURIComponent(key.id)}/rotate`, {});
  if (status !== 201) return say(`Could not rotate the key (${body?.code ?? status}).`);
  showKey(body.key);
  say('Key rotated: the old key keeps working for 24 hours.');
  await loadKeys();
}

async function revokeKey(key) {
  const { status, body } = await call('DELETE', `/api-keys/${encodeURIComponent(key.id)}`);
  if (status !== 204) return say(`Could not revoke the key (${body?.code ?? status}).`);
  say('Key revoked.');
  await loadKeys();
}

async function signedIn(token) {
  csrfToken = token;
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  await Promise.all([loadDevices(), loadKeys()]);
}

function signedOut(message) {
  csrfToken = null;
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('new-key').hidden = true;
  say(message);
}

async function signIn(email, password) {
  const { status, body } = await call('POST', '/auth/login', { email, password });
  if (status !== 200) return say(`Sign-in failed (${body?.code ?? status}).`);
  say('Signed in.');
  await signedIn(body.csrfToken);
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  await signIn(form.get('email'), form.get('password'));
});

$('register').addEventListener('click', async () => {
  const form = new FormData($('sign-in'));
  const { status, body } = await call('POST', '/auth/register', { email: form.get('email'), password: form.get('password') });
  if (status !== 201) return say(`Could not create the account (${body?.message ?? status}).`);
  await signIn(form.get('email'), form.get('password'));
});

$('create-key').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const { status, body } = await call('POST', '/api-keys', { name: form.get('name'), scopes: form.getAll('scopes') });
  if (status !== 201) return say(`Could not create the key (${body?.code ?? status}).`);
  showKey(body.key);
  say('Key created.');
  event.target.reset();
  await loadKeys();
});

$('revoke-others').addEventListener('click', async () => {
  const { status, body } = await call('POST', '/auth/sessions/revoke-others');
  if (status !== 200) return say(`Could not sign the other devices out (${body?.code ?? status}).`);
  say(`Signed out ${body.revoked} other device(s).`);
  await loadDevices();
});

$('sign-out').addEventListener('click', async () => {
  const { status, body } = await call('POST', '/auth/logout');
  if (status !== 204) return say(`Could not sign out (${body?.code ?? status}).`);
  signedOut('Signed out.');
});

// Signed in already? GET /auth/csrf answers with this session's token, or 401 without a session.
const current = await call('GET', '/auth/csrf');
if (current.status === 200) await signedIn(current.body.csrfToken);
else signedOut('');
