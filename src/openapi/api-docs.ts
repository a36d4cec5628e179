import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { applyGatehouseSecurity } from '@gatehouse/core';
import { DEMO_VERSION } from '../version.js';

// Loaded only when asked for: @nestjs/swagger is a development dependency.
const swagger = () => import('@nestjs/swagger');

/** A builder of the demo's OpenAPI document, each operation's security derived from the guard's route policies. */
export async function apiDocumentFactory(app: INestApplication): Promise<() => OpenAPIObject> {
  const { DocumentBuilder, SwaggerModule } = await swagger();
  const config = new DocumentBuilder().setTitle('gatehouse demo').setVersion(DEMO_VERSION).build();
  return () => applyGatehouseSecurity(SwaggerModule.createDocument(app, config), app);
}

/**
 * Serves the document at `/docs` (UI) and `/docs-json`, in development only. It is built on the
 * first request, once every mechanism has registered with the guard.
 */
export async function mountApiDocs(app: INestApplication): Promise<void> {
  const { SwaggerModule } = await swagger();
  SwaggerModule.setup('docs', app, await apiDocumentFactory(app));
}
