// Builds each library under libs/ into a publishable package (ESM JavaScript + type declarations
// in libs/<name>/dist), core first since the others import it (sessions last: it types its optional peers), and checks that no built file
// reaches outside its package (a relative import into another library or the demo's src/), and that
// every entry point its package.json `exports` names (`.` and the `./testing` subpath) was built.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const order = ['core', 'tokens', 'api-keys', 'sessions'].filter((name) => existsSync(join('libs', name, 'tsconfig.lib.json')));
const tsc = join('node_modules', 'typescript', 'bin', 'tsc');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(js|d\.ts)$/.test(entry.name)) yield path;
  }
}

for (const name of order) {
  const dist = join('libs', name, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join('libs', name, 'tsconfig.lib.json')], { stdio: 'inherit' });
  for (const file of files(dist)) {
    const text = readFileSync(file, 'utf8');
    const escape = /from\s+['"](\.\.\/\.\.\/|[^'"]*\/src\/)[^'"]*['"]/.exec(text);
    if (escape) throw new Error(`${file} imports outside its package: ${escape[0]}`);
  }
  const { exports } = JSON.parse(readFileSync(join('libs', name, 'package.json'), 'utf8'));
  for (const entry of ['.', './testing']) {
    const conditions = exports[entry];
    if (!conditions) throw new Error(`libs/${name}/package.json exports no "${entry}" entry`);
    if (!conditions.import || conditions.default !== conditions.import) throw new Error(`libs/${name}: exports["${entry}"] needs "import" and "default" naming the same file`);
    for (const target of Object.values(conditions)) {
      if (!existsSync(join('libs', name, target))) throw new Error(`libs/${name}: exports["${entry}"] names ${target}, which was not built`);
    }
  }
  console.log(`built @gatehouse/${name} → ${dist}`);
}
