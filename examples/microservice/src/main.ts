import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { AppModule } from './app.module.js';

/** A hybrid app: HTTP for signing in, TCP for the orders messages. */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  const host = process.env.HOST ?? '127.0.0.1';
  const rpcPort = Number(process.env.RPC_PORT ?? 4000);
  // inheritAppConfig: the global guard and filters also guard the messages.
  app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options: { host, port: rpcPort } }, { inheritAppConfig: true });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(Number(process.env.PORT ?? 3000), host);
  console.log(`rpc on ${rpcPort}`);
  console.log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
