import 'reflect-metadata';
import { createDemoApp } from './app.factory.js';
import { ConfigError, loadDemoConfig } from './config/demo.config.js';
import { enableGracefulShutdown } from './lifecycle/graceful-shutdown.js';

async function main(): Promise<void> {
  const config = loadDemoConfig();
  const app = await createDemoApp({ config });
  await app.listen(config.port, config.host);
  // After listen: the drain needs the HTTP server. SIGTERM stops accepting, drains, then closes.
  enableGracefulShutdown(app, { drainTimeoutMs: config.shutdownDrainTimeoutMs });
}

/** The demo's own and the libraries' configuration errors: the operator's to fix, no stack trace needed. */
const isConfigurationError = (error: unknown): error is Error =>
  error instanceof ConfigError || (error instanceof Error && error.name.endsWith('ConfigurationError'));

main().catch((error: unknown) => {
  console.error(isConfigurationError(error) ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
