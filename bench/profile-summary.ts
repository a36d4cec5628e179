// `node dist/bench/profile-summary.js <file.cpuprofile>… [--per N] [--top N] [--focus a,b]`: where a profiled
// bench round spent the server's main thread, per request (`--per`: the requests of the round(s);
// by default the counts the bench wrote beside each profile),
// by function (self and inclusive time) and by where the code lives.
import { existsSync, readFileSync } from 'node:fs';
import { formatNumber, markdownTable } from './bench-table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive microseconds per function, and per code location, over one or more profiles. */
export interface ProfileTotals {
  totalMicros: number;
  self: Map<string, number>;
  inclusive: Map<string, number>;
  byArea: Map<string, number>;
}

const frameName = ({ functionName, url, lineNumber }: ProfileNode['callFrame']): string => {
  const file = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/').replace(/^node:/, 'node:');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
};

/** Where a frame's code lives: a package, a gatehouse library, Node's internals, or V8's own buckets. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').replace(/\/.*$/, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const lib = /dist\/libs\/([^/]+)\//.exec(url);
  if (lib) return `@gatehouse/${lib[1]}`;
  if (/dist\/src\//.test(url)) return 'demo app';
  if (/dist\/bench\//.test(url)) return 'bench';
  return url;
}

/** Adds `profile` into `totals`: each sample's time goes to its leaf (self) and once to every distinct frame above it. */
export function addProfile(totals: ProfileTotals, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  for (let i = 0; i < profile.samples.length; i += 1) {
    const micros = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    totals.totalMicros += micros;
    const name = frameName(leaf.callFrame);
    totals.self.set(name, (totals.self.get(name) ?? 0) + micros);
    const area = areaOf(leaf.callFrame.url, leaf.callFrame.functionName);
    totals.byArea.set(area, (totals.byArea.get(area) ?? 0) + micros);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = frameName(byId.get(id)!.callFrame);
      if (seen.has(frame)) continue;
      seen.add(frame);
      totals.inclusive.set(frame, (totals.inclusive.get(frame) ?? 0) + micros);
    }
  }
}

export function emptyTotals(): ProfileTotals {
  return { totalMicros: 0, self: new Map(), inclusive: new Map(), byArea: new Map() };
}

/** The `top` largest entries of `map` as table rows, in µs per request (or µs in all when `per` is 1). */
export function topRows(map: ReadonlyMap<string, number>, top: number, per: number): string[][] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => [name, formatNumber(micros / per, 2)]);
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const index = args.indexOf(name);
    if (index < 0) return fallback;
    const [, value] = args.splice(index, 2);
    return Number(value);
  };
  const explicitPer = option('--per', 0);
  const top = option('--top', 25);
  const focusIndex = args.indexOf('--focus');
  const focus = focusIndex < 0 ? [] : args.splice(focusIndex, 2)[1]!.split(',');
  if (args.length === 0) throw new Error('usage: profile-summary <file.cpuprofile>… [--per requests] [--top N]');
  // Without --per, the request counts the bench wrote beside its profiles (`<profile>.requests`).
  const per = explicitPer || (args.every((file) => existsSync(`${file}.requests`)) ? args.reduce((sum, file) => sum + Number(readFileSync(`${file}.requests`, 'utf8')), 0) : 1);
  const totals = emptyTotals();
  for (const file of args) addProfile(totals, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const unit = per === 1 ? 'µs' : 'µs/req';
  console.log(`${args.length} profile(s), ${formatNumber(totals.totalMicros / per, 1)} ${unit} sampled on the main thread\n`);
  console.log(markdownTable(['where the code lives (self time)', unit], topRows(totals.byArea, top, per), ['left', 'right']));
  console.log();
  console.log(markdownTable(['function (self time)', unit], topRows(totals.self, top, per), ['left', 'right']));
  console.log();
  console.log(markdownTable(['function (inclusive time)', unit], topRows(totals.inclusive, top, per), ['left', 'right']));
  if (focus.length > 0) {
    const focused = new Map([...totals.inclusive].filter(([name]) => focus.some((part) => name.includes(part))));
    console.log();
    console.log(markdownTable(['function matching --focus (inclusive time)', unit], topRows(focused, 100, per), ['left', 'right']));
  }
}

if (process.argv[1]?.endsWith('profile-summary.js')) main();
