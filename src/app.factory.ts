import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type DemoModuleOptions } from './app.module.js';

/**
 * Request validation: unknown fields and wrong types are 400 `validation_failed`; values are
 * never echoed back (a password in a wrong field must not appear in an error body).
 */
export const validationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });

/** Builds the configured demo on the adapter its config names; does not listen. */
export async function createDemoApp(options: DemoModuleOptions): Promise<INestApplication> {
  const { config } = options;
  const module = AppModule.forRoot(options);
  let app: INestApplication;
  if (config.adapter === 'fastify') {
    const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, maxParamLength: 200 });
    app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, abortOnError: false });
  } else {
    const express = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, abortOnError: false, bodyParser: false });
    express.disable('x-powered-by');
    express.useBodyParser('json', { limit: config.bodyLimitBytes });
    express.useBodyParser('urlencoded', { limit: config.bodyLimitBytes, extended: false });
    app = express;
  }
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  // Signals are handled by enableGracefulShutdown (main.ts): it drains HTTP before Nest's hooks run.
  return app;
}
