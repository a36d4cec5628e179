import type { INestApplication, ModuleMetadata, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** The HTTP adapters every e2e suite runs on. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * Compiles a tiny app from `metadata` on the named adapter, listening on an ephemeral loopback
 * port. Pass the returned app's `getHttpServer()` to supertest.
 */
export async function createTinyApp(adapter: AdapterName, metadata: ModuleMetadata, options: NestApplicationOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app =
    adapter === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), options)
      : moduleRef.createNestApplication(options);
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}
