// Starts a context example's built app (`node dist/main.js`) on a free loopback port with a
// PostgreSQL database of its own, and hands the tests the three credentials, issued over the wire
// by the example's own sign-in controller. Shared by the graphql, websocket and microservice
// examples' `npm test`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const EXAMPLE_PASSWORD = 'correct horse battery staple';
const READY_MS = 60_000;

async function createDatabase(cwd) {
  const { default: pg } = await import(createRequire(join(cwd, 'package.json')).resolve('pg'));
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `gatehouse_example_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.href });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: server.href });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
  return { url: url.href, drop };
}

/**
 * Starts `node dist/main.js` and resolves once it prints `listening on <url>` (and, when
 * `env.RPC_PORT` is given, `rpc on <port>`). Returns `{ url, rpcPort, output(), stop() }`.
 */
export async function startExample({ cwd = process.cwd(), env = {} } = {}) {
  const database = await createDatabase(cwd);
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, EXAMPLE_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not listen within ${READY_MS} ms:\n${output}`)), READY_MS);
    const onData = (chunk) => {
      output += chunk;
      const http = /listening on (http:\/\/\S+)/.exec(output);
      const rpc = /rpc on (\d+)/.exec(output);
      if (http && (rpc || env.RPC_PORT === undefined)) {
        clearTimeout(timer);
        resolve({ url: http[1].replace(/\/$/, '').replace('[::1]', '127.0.0.1'), rpcPort: rpc ? Number(rpc[1]) : undefined });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    void exited.then((code) => reject(new Error(`the app exited (${code}) before it listened:\n${output}`)));
  }).catch(async (error) => {
    child.kill('SIGKILL');
    await database.drop().catch(() => {});
    throw error;
  });
  return {
    ...ready,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await database.drop();
    },
  };
}

async function post(url, body, headers = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response;
}

/** The three credentials, from the example's `POST /auth/token`, `/auth/login` and `/api-keys`. */
export async function issueCredentials(url) {
  const token = (await (await post(`${url}/auth/token`, { password: EXAMPLE_PASSWORD })).json()).access_token;
  const login = await post(`${url}/auth/login`, { password: EXAMPLE_PASSWORD });
  const cookie = login.headers.getSetCookie().find((line) => line.startsWith('__Host-session='))?.split(';', 1)[0];
  const { csrfToken } = await login.json();
  const { key: apiKey } = await (await post(`${url}/api-keys`, { name: 'example key', scopes: ['orders:read'] }, { authorization: `Bearer ${token}` })).json();
  return { token, cookie, csrfToken, apiKey };
}

/** A free loopback TCP port (for a microservice transport that cannot report the one it got). */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
