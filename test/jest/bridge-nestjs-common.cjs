const loaded = globalThis.__gatehouseEsmBridge?.['@nestjs/common'];
if (!loaded) throw new Error('@nestjs/common was required before test/jest/esm-bridge.ts loaded it');
module.exports = loaded;
