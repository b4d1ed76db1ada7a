import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { exportStream } from '../../../src/ui/stream/export-stream.js';
import { data, gap } from './stream-fixtures.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wiretop-export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const raw = Uint8Array.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff, 0x9b, 0x0d, 0x0a]);
const chunks = [data(0, 'GET / HTTP/1.1\r\n\r\n'), data(1, raw), gap(1, 500), data(0, 'more'), data(1, 'tail')];

test('both directions in delivery order, bytes unaltered, gaps not written', () => {
  const path = join(dir, 'both.bin');
  expect(exportStream(chunks, path)).toBe(18 + 9 + 4 + 4);
  expect(Buffer.compare(readFileSync(path), Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n'), raw, Buffer.from('moretail')]))).toBe(0);
});

test('one direction', () => {
  expect(exportStream(chunks, join(dir, 'c.bin'), 'client')).toBe(22);
  expect(readFileSync(join(dir, 'c.bin'), 'latin1')).toBe('GET / HTTP/1.1\r\n\r\nmore');
  expect(exportStream(chunks, join(dir, 's.bin'), 'server')).toBe(13);
  expect(Buffer.compare(readFileSync(join(dir, 's.bin')), Buffer.concat([raw, Buffer.from('tail')]))).toBe(0);
});

test('an existing file is kept unless overwrite is asked for', () => {
  const path = join(dir, 'exists.bin');
  writeFileSync(path, 'keep me');
  expect(() => exportStream(chunks, path)).toThrow(/EEXIST/);
  expect(readFileSync(path, 'utf8')).toBe('keep me');
  expect(exportStream(chunks, path, 'client', { overwrite: true })).toBe(22);
});
