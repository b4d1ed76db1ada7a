/**
 * Regenerates every fixture capture and fixtures/manifest.json:
 *
 *   node dist/fixtures-gen/main.js fixtures [--only name,name] [--no-demo]
 *
 * Output is byte-identical run to run (seeded PRNG, fixed base time).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fixture, ManifestEntry } from './fixture.js';
import { formatFixtures } from './fixtures-formats.js';
import { protocolFixtures } from './fixtures-protocols.js';
import { specialFixtures, truncatedFixtures } from './fixtures-special.js';
import { demoFixture } from './demo.js';

export interface Manifest {
  version: 1;
  generator: string;
  /** Relative times in every file count from this epoch second (2026-01-01T00:00:00Z). */
  baseTime: number;
  files: Record<string, ManifestEntry>;
}

export interface GenerateOptions {
  /** Include demo.pcap (the only large fixture; default true). */
  demo?: boolean;
  only?: string[];
}

/** Generate the fixtures into `dir` and return the manifest (also written as dir/manifest.json). */
export function generateFixtures(dir: string, o: GenerateOptions = {}): Manifest {
  mkdirSync(dir, { recursive: true });
  const jobs: { fx: Fixture; cut?: (b: Uint8Array) => Uint8Array }[] = [
    ...formatFixtures().map((fx) => ({ fx })),
    ...protocolFixtures().map((fx) => ({ fx })),
    ...specialFixtures().map((fx) => ({ fx })),
    ...truncatedFixtures(),
  ];
  if (o.demo !== false) jobs.push({ fx: demoFixture() });
  const files: Record<string, ManifestEntry> = {};
  for (const j of jobs) {
    if (o.only && !o.only.includes(j.fx.name)) continue;
    files[j.fx.name] = j.fx.finish(dir, j.cut);
  }
  const manifest: Manifest = { version: 1, generator: 'src/fixtures-gen/main.ts (npm run fixtures)', baseTime: 1_767_225_600, files };
  if (!o.only) writeFileSync(join(dir, 'manifest.json'), formatJson(manifest, '') + '\n');
  return manifest;
}

/** JSON with objects expanded and each array element on one line (keeps the manifest short and diffable). */
export function formatJson(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + '  ';
    return '[\n' + v.map((x) => inner + JSON.stringify(x)).join(',\n') + '\n' + indent + ']';
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return '{\n' + entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatJson(x, inner)}`).join(',\n') + '\n' + indent + '}';
  }
  return JSON.stringify(v);
}

function main(argv: string[]): void {
  const dir = argv.find((a) => !a.startsWith('--')) ?? 'fixtures';
  const onlyArg = argv.indexOf('--only');
  const only = onlyArg >= 0 ? argv[onlyArg + 1]?.split(',') : undefined;
  const m = generateFixtures(resolve(dir), { demo: !argv.includes('--no-demo'), only });
  for (const e of Object.values(m.files)) {
    process.stdout.write(`${e.file.padEnd(26)} ${String(e.packets).padStart(7)} packets ${String(e.size).padStart(9)} bytes\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
