import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { applyGatehouseSecurity } from '@gatehouse/core';
import { AppModule } from './app.module.js';

/** `ADAPTER=fastify` runs the same app on Fastify; Express is the default. */
async function main(): Promise<void> {
  const adapter = process.env.ADAPTER ?? 'express';
  if (adapter !== 'express' && adapter !== 'fastify') throw new Error(`ADAPTER must be express or fastify, not ${adapter}`);
  // The webhook signature covers the exact bytes received: keep them as request.rawBody.
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true })
      : await NestFactory.create(AppModule, { rawBody: true });
  app.enableShutdownHooks();
  // The OpenAPI document at /docs-json (and the UI at /docs), with the security the guard enforces.
  const config = new DocumentBuilder().setTitle('Partners API').build();
  SwaggerModule.setup('docs', app, () => applyGatehouseSecurity(SwaggerModule.createDocument(app, config), app));
  await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
  console.log(`listening on ${await app.getUrl()} (${adapter})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
