import { connect, createServer, type Server, type Socket } from 'node:net';

type Mode = 'pass' | 'refuse' | 'stall';

/** One proxied connection, and the bytes held back while stalled (in order, per direction). */
interface Pair {
  client: Socket;
  upstream: Socket;
  held: Array<{ to: Socket; chunk: Buffer }>;
}

/**
 * A loopback TCP proxy in front of PostgreSQL that the suite can cut or stall:
 * - `refuse()`: stop listening and reset every open connection (ECONNREFUSED from then on);
 * - `stall()`: keep connections open but move no byte either way (a hung network or server);
 * - `restore()`: pass traffic again (stalled bytes flow on; refused clients reconnect).
 */
export class TcpProxy {
  private server: Server | undefined;
  private mode: Mode = 'pass';
  private readonly pairs = new Set<Pair>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async refuse(): Promise<void> {
    this.mode = 'refuse';
    const server = this.server;
    this.server = undefined;
    for (const { client, upstream } of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stall(): void {
    this.mode = 'stall';
  }

  async restore(): Promise<void> {
    const wasRefusing = this.mode === 'refuse';
    this.mode = 'pass';
    if (wasRefusing) await this.start();
    for (const pair of this.pairs) {
      for (const { to, chunk } of pair.held.splice(0)) to.write(chunk);
    }
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, held: [] };
    this.pairs.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (this.mode === 'pass' && pair.held.length === 0) to.write(chunk);
      else pair.held.push({ to, chunk });
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('error', drop).once('close', drop);
    upstream.once('error', drop).once('close', drop);
  }
}
