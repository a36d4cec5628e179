import { Logger, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

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
  let idle: (() => void) | undefined;

  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    if (draining && !response.headersSent) response.setHeader('Connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      if (inFlight.size === 0) idle?.();
    });
  });

  let shutdown: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    shutdown ??= (async () => {
      draining = true;
      logger.log(`Draining ${inFlight.size} request(s) in flight`);
      // Stop accepting; Node also closes connections that sit idle between keep-alive requests.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
      const drained = inFlight.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, options.drainTimeoutMs, true)));
      if (await Promise.race([drained.then(() => false), timedOut])) {
        logger.warn(`Drain timeout (${options.drainTimeoutMs} ms): closing ${inFlight.size} unfinished request(s)`);
      }
      clearTimeout(timer);
      server.closeIdleConnections();
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
