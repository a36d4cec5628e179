import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rotateKeyFile } from '@gatehouse/tokens';
import { ConfigError, loadDemoConfig } from '../config/demo.config.js';

/**
 * `npm run keys:rotate [-- --retire-after-minutes N] [--algorithm EdDSA|ES256]`: rotates the demo's
 * signing key in `<DATA_DIR>/signing-keys.json`. The new key signs after the next restart; the old
 * one keeps verifying for N minutes (default: two access-token lifetimes), which must cover the
 * restart of every instance plus one token lifetime. Prints key ids only, never key material.
 */
async function main(): Promise<void> {
  const config = loadDemoConfig();
  const { values } = parseArgs({
    options: { 'retire-after-minutes': { type: 'string' }, algorithm: { type: 'string' } },
    strict: true,
  });
  const minutes = values['retire-after-minutes'] === undefined ? (2 * config.accessTokenTtlSeconds) / 60 : Number(values['retire-after-minutes']);
  if (!Number.isFinite(minutes) || minutes * 60 < config.accessTokenTtlSeconds) {
    throw new ConfigError(`--retire-after-minutes must be at least one access-token lifetime (${config.accessTokenTtlSeconds / 60} minutes)`);
  }
  const algorithm = values.algorithm;
  if (algorithm !== undefined && algorithm !== 'EdDSA' && algorithm !== 'ES256') throw new ConfigError('--algorithm must be EdDSA or ES256');
  const path = join(config.dataDir, 'signing-keys.json');
  if (!existsSync(path)) throw new ConfigError(`No key file at ${path}: start the demo once to create it`);
  const now = Date.now();
  const retireAt = now + minutes * 60_000;
  const result = await rotateKeyFile(path, { now, retireAt, ...(algorithm ? { algorithm } : {}) });
  console.log(`New signing key ${result.active} in ${path}.`);
  if (result.retired) console.log(`Key ${result.retired} verifies only, until ${new Date(retireAt).toISOString()}.`);
  if (result.dropped.length > 0) console.log(`Removed expired keys: ${result.dropped.join(', ')}.`);
  console.log(`Restart every instance before ${new Date(retireAt - config.accessTokenTtlSeconds * 1000).toISOString()}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Key rotation failed: ${error.message}` : error);
  process.exit(1);
});
