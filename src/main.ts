import 'reflect-metadata';
import { createDemoApp } from './app.factory.js';
import { ConfigError, loadDemoConfig } from './config/demo.config.js';

async function main(): Promise<void> {
  const config = loadDemoConfig();
  const app = await createDemoApp({ config });
  await app.listen(config.port, config.host);
}

main().catch((error: unknown) => {
  // Configuration errors are the operator's to fix: say what is wrong without a stack trace.
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
