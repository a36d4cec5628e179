// Jest on Node 20 cannot require() an ES module, yet some CommonJS packages (nestjs-pino,
// @nestjs/throttler) require the ESM-only @nestjs/common and @nestjs/core. A require() of those
// resolves to a bridge that hands out the very module instance the ESM graph loaded (see
// esm-bridge.ts), so there is one copy of Nest and its DI tokens, as there is outside Jest.
const path = require('node:path');

const BRIDGED = new Map([
  ['@nestjs/common', path.join(__dirname, 'bridge-nestjs-common.cjs')],
  ['@nestjs/core', path.join(__dirname, 'bridge-nestjs-core.cjs')],
]);

module.exports = (request, options) => {
  const bridge = BRIDGED.get(request);
  const conditions = options.conditions ?? [];
  if (bridge && conditions.includes('require') && !conditions.includes('import')) return bridge;
  return options.defaultResolver(request, options);
};
