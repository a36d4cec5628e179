const loaded = globalThis.__gatehouseEsmBridge?.['@nestjs/core'];
if (!loaded) throw new Error('@nestjs/core was required before test/jest/esm-bridge.ts loaded it');
module.exports = loaded;
