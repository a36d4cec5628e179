// Starts an example's built app (`node dist/main.js`) as a child process on a free loopback port,
// with a PostgreSQL database of its own, and stops it again. Shared by the examples' `npm test`.
//
//   const app = await startExample();            // in the example's folder (npm test's cwd)
//   await fetch(`${app.url}/health`);
//   await app.stop();
//
// The app prints `listening on <url>` once it listens (PORT=0 lets the OS pick the port); any
// scheme works (`http://…`, `tcp://…` for a microservice).
// Environment: DATABASE_URL of a server where the test may create databases
// (default postgres://postgres@127.0.0.1:5432/postgres); EXAMPLE_PASSWORD is set for the app.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The password of the example's one account (ada@example.com). */
export const EXAMPLE_PASSWORD = 'correct horse battery staple';
export const EXAMPLE_EMAIL = 'ada@example.com';

const READY_MS = 60_000;

/** Creates an empty database next to DATABASE_URL's, with the example's own `pg`. */
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
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: server.href });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Starts `node <entry>` in `cwd` and resolves once it prints `listening on <url>`.
 * Returns `{ url, output(), stop() }`; `stop()` ends the process and drops its database.
 */
export async function startExample({ cwd = process.cwd(), entry = 'dist/main.js', env = {} } = {}) {
  const database = await createDatabase(cwd);
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-example-'));
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KEYS_FILE: join(scratch, 'signing-keys.json'),
      EXAMPLE_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not listen within ${READY_MS} ms:\n${output}`)), READY_MS);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on ([a-z][a-z0-9+.-]*:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, '').replace('[::1]', '127.0.0.1'));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code ?? signal}) before it listened:\n${output}`));
    });
  }).catch(async (error) => {
    child.kill('SIGKILL');
    await database.drop().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await database.drop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
