// The demo as `npm start` runs it (same config loading, same factory), started by bench/bench.ts
// on a loopback port with its meters on the IPC channel, plus the bench's reference route, the
// guard floor's route (bench/guard-floor.ts), the NestJS docs' JWT recipe (bench/nest-recipe.ts) and a GraphQL endpoint (bench/graphql-bench.ts).
import 'reflect-metadata';
import { createDemoApp } from '../src/app.factory.js';
import { loadDemoConfig } from '../src/config/demo.config.js';
import { serveForBench } from './bench-ipc.js';
import { BenchViewerResolver, benchGraphqlModule } from './graphql-bench.js';
import { NestRecipeController, registerRecipeStrategies } from './nest-recipe.js';
import { GuardFloorController } from './guard-floor.js';
import { PrincipalShapedController } from './principal-shaped.controller.js';
import { TokenMintController } from './token-mint.controller.js';

registerRecipeStrategies();
const config = loadDemoConfig();
await serveForBench(() =>
  createDemoApp({
    config,
    controllers: [PrincipalShapedController, GuardFloorController, NestRecipeController, TokenMintController],
    imports: [benchGraphqlModule(config.adapter)],
    providers: [BenchViewerResolver],
  }),
  GuardFloorController,
);
