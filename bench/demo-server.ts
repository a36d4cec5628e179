// The demo as `npm start` runs it (same config loading, same factory), started by bench/bench.ts
// on a loopback port with its CPU meter on the IPC channel.
import 'reflect-metadata';
import { createDemoApp } from '../src/app.factory.js';
import { loadDemoConfig } from '../src/config/demo.config.js';
import { serveForBench } from './bench-ipc.js';

await serveForBench(() => createDemoApp({ config: loadDemoConfig() }));
