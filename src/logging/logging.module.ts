import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { redactUrl } from '@gatehouse/core';

/** Paths pino censors in any log line: credential headers and secret fields, wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.key',
  '*.apiKey',
  '*.api_key',
  '*.csrfToken',
  '*.client_secret',
  '*.client_assertion',
  '*.jwt',
  '*.session_id',
  '*.code_verifier',
];

interface IncomingLike {
  id?: unknown;
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string };
}

/**
 * Every route of the app. nestjs-pino's default pattern (`{/*splat}`) matches only `/` on the
 * Fastify adapter, which left every other route unlogged there; `{*path}` matches all routes on
 * both adapters (the request-logging e2e suite checks it).
 */
const ALL_ROUTES = [{ path: '{*path}', method: RequestMethod.ALL }];

/**
 * Structured logs with nestjs-pino: one line per request, on every route. The request serializer keeps only the
 * method, a redacted URL, the user agent and the address, so no credential header can reach a log
 * even if a redact path is missed; `REDACT_PATHS` covers everything else.
 */
@Module({})
export class LoggingModule {
  static forRoot(level: string, stream?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          forRoutes: ALL_ROUTES,
          pinoHttp: [
            {
              level,
              redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
              serializers: {
                req: (req: IncomingLike) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(String(req.originalUrl ?? req.url ?? '')),
                  userAgent: req.headers?.['user-agent'],
                  remoteAddress: req.socket?.remoteAddress,
                }),
                res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
              },
              customLogLevel: (_req: unknown, res: { statusCode: number }, error?: Error) =>
                error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            },
            ...(stream ? [stream] : []),
          ] as never,
        }),
      ],
    };
  }
}
