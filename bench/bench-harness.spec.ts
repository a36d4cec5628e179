import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type BenchServer } from './bench-harness.js';

/** A stand-in for a bench server: it listens, answers meter readings, and fails any profile request. */
const FAKE_SERVER = `
process.on('message', (message) => {
  if (message.type === 'cpu') process.send({ type: 'cpu', id: message.id, micros: 1, systemMicros: 0, gcMicros: 0, majorGcs: 0 });
  else if (message.type === 'profile') process.send({ type: 'failed', id: message.id, message: 'ENOENT: no such file or directory' });
  else if (message.type === 'stop') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'listening', port: 1 });
`;

describe('startServer', () => {
  let folder: string;
  let server: BenchServer;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'bench-harness-'));
    const entry = join(folder, 'fake-server.mjs');
    writeFileSync(entry, FAKE_SERVER);
    server = await startServer(entry, process.env, 10_000);
  });

  afterAll(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails a request the server could not answer with its reason, at once rather than after the IPC timeout', async () => {
    const started = Date.now();
    await expect(server.profile(join(folder, 'missing', 'round.cpuprofile'))).rejects.toThrow('The server could not answer: ENOENT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('goes on answering after a failed request', async () => {
    await expect(server.read()).resolves.toMatchObject({ cpuMicros: 1 });
  });
});
