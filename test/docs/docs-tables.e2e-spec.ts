import { readFileSync } from 'node:fs';
import { GATEHOUSE_ERRORS } from '@gatehouse/core';
import { ClientCertificateMechanism } from '../fixtures/mechanisms/client-certificate.mechanism.js';
import { HmacSignatureMechanism } from '../fixtures/mechanisms/hmac-signature.mechanism.js';

// The reference tables in the docs are checked against the code they describe, so they cannot
// quietly go stale: every error code with its status, and every variable the demo reads.
const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

function section(text: string, marker: string): string {
  const start = text.indexOf(`<!-- ${marker}:start -->`);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  if (start < 0 || end < start) throw new Error(`no ${marker} section`);
  return text.slice(start, end);
}

/** First-column values of a markdown table, without backticks. */
const firstColumn = (table: string): string[] =>
  table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1].trim().replace(/`/g, ''));

describe('documentation tables', () => {
  it('docs/getting-started.md lists every error code with its status', () => {
    const table = section(read('docs/getting-started.md'), 'error-codes');
    for (const [code, spec] of Object.entries(GATEHOUSE_ERRORS)) {
      expect(table).toMatch(new RegExp(`\\| \`${code}\` \\| ${spec.status} \\|`));
    }
    expect(firstColumn(table).sort()).toEqual(Object.keys(GATEHOUSE_ERRORS).sort());
  });

  it.each(['README.md', 'docs/configuration.md'])('%s lists exactly the environment variables the demo reads', (file) => {
    const source = ['src/config/demo.config.ts', 'src/tokens/tokens-demo.module.ts', 'src/sessions/sessions-demo.module.ts', 'src/api-keys/api-keys-demo.module.ts']
      .map((path) => read(path))
      .join('\n');
    const names = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]));
    expect(firstColumn(section(read(file), 'env')).sort()).toEqual([...names].sort());
  });

  it('docs/getting-started.md lists the codes the worked-example mechanisms add', () => {
    const table = section(read('docs/getting-started.md'), 'custom-error-codes');
    const examples = [
      { name: 'hmac', errors: new HmacSignatureMechanism(new Map(), { now: () => 0 }).errors },
      { name: 'mtls', errors: mtlsErrors() },
    ];
    const listed: string[] = [];
    for (const { name, errors } of examples) {
      for (const [code, spec] of Object.entries(errors)) {
        expect(table).toContain(`| \`${code}\` | ${spec.status} | \`${name}\` | ${spec.message} |`);
        listed.push(code);
      }
    }
    expect(firstColumn(table).sort()).toEqual(listed.sort());
  });

  it.each([
    ['hmac-signature', 'test/fixtures/mechanisms/hmac-signature.mechanism.ts'],
    ['client-certificate', 'test/fixtures/mechanisms/client-certificate.mechanism.ts'],
  ])('docs/core.md shows the %s example exactly as tested', (marker, file) => {
    expect(section(read('docs/core.md'), `example:${marker}`)).toContain(`\`\`\`ts\n${read(file).trimEnd()}\n\`\`\``);
  });
});

function mtlsErrors(): Record<string, { status: number; message: string }> {
  const ca = read('test/fixtures/mtls/ca.pem');
  return new ClientCertificateMechanism({ trustedProxies: [], ca, scopesBySubject: {} }, { now: () => 0 }).errors;
}
