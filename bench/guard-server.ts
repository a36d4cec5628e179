// The guard-overhead app (guard-app.ts) on the adapter named by HTTP_ADAPTER, started by
// bench/guard-overhead.ts on a loopback port with its CPU meter on the IPC channel.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { serveForBench } from './bench-ipc.js';
import { GuardBenchModule } from './guard-app.js';

await serveForBench(() =>
  process.env.HTTP_ADAPTER === 'fastify'
    ? NestFactory.create(GuardBenchModule, new FastifyAdapter(), { logger: false })
    : NestFactory.create(GuardBenchModule, { logger: false }),
);
