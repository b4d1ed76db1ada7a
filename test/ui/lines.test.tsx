import { afterEach, describe, expect, test } from 'vitest';
import { Lines } from '../../src/ui/panels/lines.js';
import type { Line } from '../../src/ui/panels/lines.js';
import { renderSized } from './helpers/render-sized.js';
import type { Rendered } from './helpers/render-sized.js';

let app: Rendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('Lines', () => {
  // Long runs of plain spaces are left to the layout instead of being written: the screen must not change.
  test('lines with wide gaps read the same as when every blank is written', async () => {
    const lines: Line[] = [
      [{ text: '10.0.0.1' + ' '.repeat(30) + '12.3Mb   4.5Mb' + ' '.repeat(12) + 'x' }],
      [{ text: '          leading blanks and a tail          ' }],
      [{ text: '> selected', tone: 'selected' }, { text: ' '.repeat(20) + 'then plain' }],
      [{ text: 'styled gap' + ' '.repeat(20) + 'stays', tone: 'cursor-row' }],
      [{ text: 'a'.repeat(40) + ' '.repeat(10) + 'b'.repeat(40) }],
      [],
      [{ text: '98.7Mb ┼' + ' '.repeat(40) + '╭' }],
    ];
    app = renderSized(<Lines lines={lines} width={80} height={7} isColor={true} />, 80, 7);
    const frame = strip(await app.waitFor((f) => f.includes('stays')));
    expect(frame.split('\n').map((l) => l.trimEnd())).toEqual([
      '10.0.0.1' + ' '.repeat(30) + '12.3Mb   4.5Mb' + ' '.repeat(12) + 'x',
      '          leading blanks and a tail',
      '> selected' + ' '.repeat(20) + 'then plain',
      'styled gap' + ' '.repeat(20) + 'stays',
      // too wide for 80 columns: truncated whole, as before
      'a'.repeat(40) + ' '.repeat(10) + 'b'.repeat(29) + '…',
      '',
      '98.7Mb ┼' + ' '.repeat(40) + '╭',
    ]);
  });

  test('only the first `height` lines are drawn', async () => {
    const lines: Line[] = [[{ text: 'one' }], [{ text: 'two' + ' '.repeat(10) + 'gap' }], [{ text: 'three' }]];
    app = renderSized(<Lines lines={lines} width={30} height={2} isColor={false} />, 30, 5);
    const frame = strip(await app.waitFor((f) => f.includes('two')));
    expect(frame.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '')).toEqual(['one', 'two' + ' '.repeat(10) + 'gap']);
  });
});
