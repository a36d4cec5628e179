// Builds and packs the libraries, then installs, builds and tests every example app under
// examples/ against the packed tarballs, as a user installs them:
//
//   npm run test:examples                  # every examples/*/package.json
//   npm run test:examples -- cjs-express   # only the named examples
//   npm run test:examples -- --skip-build  # reuse libs/*/dist (CI built them a step before)
//
// Each example depends on `@gatehouse/<lib>: file:../.packs/gatehouse-<lib>.tgz` and commits a
// package-lock.json that pins its third-party packages. npm's lock records an `integrity` for a
// file: tarball and `npm ci` then installs the cached copy of that hash, not the tarball on disk:
// a rebuilt library would be tested stale. So the lock entries of @gatehouse packages carry no
// integrity (this script removes one that `npm install` wrote back), and every other package
// installs exactly as locked, from npm's cache first (`--prefer-offline`).
//
// Prints each example's result and a last line `examples: N passed, N failed`; exits 1 on any
// failure. An example's `npm test` needs PostgreSQL (DATABASE_URL, default the local server).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const examplesDir = join(root, 'examples');
const packsDir = join(examplesDir, '.packs');
const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const only = args.filter((arg) => !arg.startsWith('--'));
const concurrency = Math.max(1, Number(process.env.EXAMPLES_CONCURRENCY ?? 2));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** What a published package must hold: metadata, a LICENSE, no specs, every source a map names. */
function checkPackage(lib, files) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8'));
  for (const field of ['license', 'repository', 'homepage']) if (!manifest[field]) problems.push(`package.json has no "${field}"`);
  const shipped = new Set(files);
  for (const file of ['LICENSE', 'package.json']) if (!shipped.has(file)) problems.push(`${file} is not in the package`);
  // The public entry and the testing subpath, each loadable by import() and require().
  for (const name of ['.', './testing']) {
    const entry = manifest.exports?.[name] ?? {};
    if (!entry.import || entry.default !== entry.import) problems.push(`exports["${name}"] needs "import" and "default" naming the same file`);
    for (const target of Object.values(entry)) if (!shipped.has(target.replace(/^\.\//, ''))) problems.push(`${target} (exports["${name}"]) is not in the package`);
  }
  for (const file of files) {
    if (/\.spec\.[jt]s$/.test(file)) problems.push(`${file} is a test`);
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(root, 'libs', lib, file), 'utf8'));
    for (const source of map.sources) {
      const target = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!shipped.has(target)) problems.push(`${file} names ${source}, which is not in the package`);
    }
  }
  return problems;
}

// 1. Build and pack the libraries under stable names (gatehouse-<dir>.tgz), and check each package.
if (!skipBuild) execFileSync(process.execPath, [join(root, 'scripts', 'build-libs.mjs')], { cwd: root, stdio: 'inherit' });
rmSync(packsDir, { recursive: true, force: true });
mkdirSync(packsDir, { recursive: true });
const libs = readdirSync(join(root, 'libs')).filter((name) => existsSync(join(root, 'libs', name, 'package.json'))).sort();
for (const lib of libs) {
  if (!existsSync(join(root, 'libs', lib, 'dist', 'index.js'))) throw new Error(`libs/${lib}/dist is missing: run npm run build:libs`);
  const [packed] = JSON.parse(execFileSync(npm, ['pack', `./libs/${lib}`, '--pack-destination', packsDir, '--json', '--loglevel=error'], { cwd: root, encoding: 'utf8' }));
  renameSync(join(packsDir, packed.filename), join(packsDir, `gatehouse-${lib}.tgz`));
  const problems = checkPackage(lib, packed.files.map((file) => file.path));
  if (problems.length > 0) throw new Error(`@gatehouse/${lib} does not pack as published:\n  ${problems.join('\n  ')}`);
}
console.log(`packed ${libs.map((lib) => `gatehouse-${lib}.tgz`).join(', ')} into examples/.packs (${seconds(started)})`);
const packHash = createHash('sha256');
for (const lib of libs) packHash.update(readFileSync(join(packsDir, `gatehouse-${lib}.tgz`)));
const packsDigest = packHash.digest('hex');

// 2. The examples.
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'package.json')))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
const unknown = only.filter((name) => !examples.includes(name));
if (unknown.length > 0) throw new Error(`no example named ${unknown.join(', ')}`);

/** Checks how the example depends on the libraries and drops lock integrity of their tarballs. Returns problems. */
function prepare(dir) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (!name.startsWith('@gatehouse/')) continue;
      const expected = `file:../.packs/gatehouse-${name.slice('@gatehouse/'.length)}.tgz`;
      if (spec !== expected) problems.push(`${name} must be "${expected}" (the packed tarball), not "${spec}"`);
    }
  }
  for (const script of ['build', 'test']) if (!manifest.scripts?.[script]) problems.push(`package.json has no "${script}" script`);
  const lockFile = join(dir, 'package-lock.json');
  if (!existsSync(lockFile)) {
    problems.push('package-lock.json is missing: run npm install in the example and commit the lock');
    return problems;
  }
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  let changed = false;
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (/(^|\/)node_modules\/@gatehouse\/[^/]+$/.test(path) && entry.integrity !== undefined) {
      delete entry.integrity;
      changed = true;
    }
  }
  if (changed) writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  return problems;
}

/** Runs a command, collecting its output; resolves to its exit code. */
function run(command, commandArgs, cwd, log) {
  return new Promise((done) => {
    log.push(`$ ${command} ${commandArgs.join(' ')}`);
    const child = spawn(command, commandArgs, { cwd, env: { ...process.env, CI: process.env.CI ?? 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk) => log.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => log.push(chunk));
    child.on('error', (error) => {
      log.push(String(error));
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

async function testExample(name) {
  const dir = join(examplesDir, name);
  const log = [];
  const since = Date.now();
  const problems = prepare(dir);
  if (problems.length > 0) return { name, ok: false, step: 'layout', log: problems.map((problem) => `${problem}\n`), time: seconds(since) };
  // A node_modules installed from this very lock and these very tarballs is reused (local reruns).
  const stamp = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).update(packsDigest).digest('hex');
  const stampFile = join(dir, 'node_modules', '.gatehouse-examples-stamp');
  const fresh = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  const steps = [
    ...(fresh ? [] : [['install', npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']]]),
    ['build', npm, ['run', 'build']],
    ['test', npm, ['test']],
  ];
  for (const [step, command, commandArgs] of steps) {
    const code = await run(command, commandArgs, dir, log);
    if (code !== 0) return { name, ok: false, step, log, time: seconds(since) };
    if (step === 'install') writeFileSync(stampFile, stamp);
  }
  const output = log.join('');
  const tests = /# pass (\d+)[\s\S]*?# fail (\d+)/.exec(output);
  return { name, ok: true, log, tests: tests ? `${tests[1]} tests passed` : 'tests passed', time: seconds(since) };
}

const results = [];
const queue = [...examples];
await Promise.all(
  Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const result = await testExample(name);
      results.push(result);
      if (result.ok) console.log(`ok   ${name}: ${result.tests} (${result.time})`);
      else console.log(`FAIL ${name}: ${result.step} failed (${result.time})\n${result.log.join('').trimEnd().split('\n').slice(-150).join('\n')}\n`);
    }
  }),
);

const passed = results.filter((result) => result.ok).length;
console.log(`examples took ${seconds(started)}`);
console.log(`examples: ${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length && results.length > 0 ? 0 : 1);
