import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './free-port.js';

const MAIN = fileURLToPath(new URL('../../../dist/src/main.js', import.meta.url));

/** An HTTP answer, or the socket error that replaced it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  ms: number;
}

/** One request over loopback with a bounded wait; rejects with the socket error (ECONNRESET, …). */
export function call(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; agent?: Agent; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = Date.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        agent: options.agent ?? false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...options.headers },
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown>;
          try {
            body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            body = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A demo instance in its own Node process (`node dist/src/main.js`), as an operator runs it. */
export class DemoProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts one and waits until it answers `GET /health` (any status) within 30 s. */
  static async start(name: string, env: Record<string, string>): Promise<DemoProcess> {
    const demo = new DemoProcess(name, await freePort());
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(demo.port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.child = child;
    demo.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => demo.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    await waitFor(`${name} listening`, async () => (await call(demo.url, 'GET', '/health', { timeoutMs: 3_000 })).status > 0, 30_000, 200).catch((error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}\n${demo.logs.slice(-20).join('\n')}`);
    });
    return demo;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends a signal to this instance's own PID. */
  signal(signal: NodeJS.Signals): void {
    if (this.child?.exitCode === null) this.child.kill(signal);
  }

  /** Waits (bounded) for the process to exit; returns its exit code. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited as Promise<number | null>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops it: SIGTERM, then SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.signal('SIGTERM');
    try {
      await this.waitForExit(15_000);
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
