import { Logger, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long the sockets must be quiet (no new request) before the remaining ones are closed. */
const QUIET_MS = 500;

export interface GracefulShutdownOptions {
  /** How long requests in flight may take to finish before the remaining connections are cut. */
  drainTimeoutMs: number;
  /** Signals that start the shutdown. Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
}

/**
 * Stops the app in the order that loses nothing: stop accepting connections, answer every request
 * already received (each with `Connection: close`, so keep-alive clients reconnect elsewhere
 * instead of sending into a closing socket), and only then run Nest's shutdown, which flushes
 * write-behind usage and closes Redis and the database. Nest's own `enableShutdownHooks` closes
 * modules before the server, so a request arriving mid-shutdown met closed connections (500s).
 *
 * @example enableGracefulShutdown(app, { drainTimeoutMs: 10_000 });
 */
export function enableGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): () => Promise<void> {
  const logger = new Logger('Shutdown');
  const server = app.getHttpServer() as Server;
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  let lastRequestAt = 0;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    lastRequestAt = Date.now();
    inFlight.add(response);
    if (draining && !response.headersSent) response.setHeader('Connection', 'close');
    response.once('close', () => inFlight.delete(response));
  });

  let shutdown: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    shutdown ??= (async () => {
      draining = true;
      const started = Date.now();
      logger.log(`Draining ${inFlight.size} request(s) in flight`);
      // Stop accepting. Node 19+ would also drop idle keep-alive sockets here, resetting a request
      // already on its way in; keep them, and let each next answer carry Connection: close.
      const closeIdle = server.closeIdleConnections;
      server.closeIdleConnections = () => undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections = closeIdle;
      for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
      // Done when nothing is in flight and the sockets have been quiet for a moment, or at the timeout.
      const quietMs = Math.min(QUIET_MS, options.drainTimeoutMs);
      while (!(inFlight.size === 0 && Date.now() - Math.max(lastRequestAt, started) >= quietMs)) {
        if (Date.now() - started >= options.drainTimeoutMs) {
          logger.warn(`Drain timeout (${options.drainTimeoutMs} ms): closing ${inFlight.size} unfinished request(s)`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      server.closeAllConnections();
      await closed;
      // Now nothing can arrive: flush usage, close Redis and the database.
      await app.close();
    })();
    return shutdown;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  return stop;
}
