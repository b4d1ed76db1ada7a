import type { ReportV1 } from './report-types.js';

function indent(json: string, pad: string): string {
  return json.replace(/\n/g, `\n${pad}`);
}

/**
 * ReportV1 as the text of JSON.stringify(report, null, 2), in pieces: the
 * big arrays go element by element, so `--top 0` on a capture with half a
 * million conversations never builds one giant string.
 */
export function* reportJsonChunks(r: ReportV1): Generator<string> {
  const keys = Object.keys(r) as (keyof ReportV1)[];
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = r[key] as unknown;
    const tail = k < keys.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      let buf = '';
      for (let i = 0; i < value.length; i++) {
        buf += `    ${indent(JSON.stringify(value[i], null, 2), '    ')}${i < value.length - 1 ? ',\n' : '\n'}`;
        if (buf.length > 65536) {
          yield buf;
          buf = '';
        }
      }
      yield `${buf}  ]${tail}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}${tail}`;
    }
  }
  yield '}\n';
}
