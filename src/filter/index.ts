import type { DecodedPacket } from '../decode/packet.js';
import { createFilterContext, type FilterContext } from './context.js';
import { FilterError } from './errors.js';
import { registerHeaderFields } from './header-fields.js';
import { tokenize } from './lexer.js';
import { Parser, type Node } from './parser.js';
import { TcpRelativeSeq } from './tcp-rel.js';

export { FilterError } from './errors.js';
export { createFilterContext, setFirstPacketTime, type FilterContext } from './context.js';
export {
  registerField,
  registerProtocol,
  lookupField,
  lookupProtocol,
  fieldNames,
  protocolNames,
  FieldValues,
  MAX_OCCURRENCES,
  type FieldSpec,
  type FieldType,
  type FieldGetter,
  type ProtocolSpec,
} from './registry.js';
export { completeFilter, type Completion } from './complete.js';

let builtins = false;
export function ensureBuiltinFields(): void {
  if (builtins) return;
  builtins = true;
  registerHeaderFields();
}
ensureBuiltinFields();

export interface CompiledFilter {
  /** The text as given. */
  readonly text: string;
  /** True when a field or protocol needs application dissection before match(). */
  readonly usesAppFields: boolean;
  /** True when the filter is pure pcap-filter syntax that libpcap can compile. */
  readonly isPcapCompatible: boolean;
  /** Context the filter reads (first packet time, protocol paths); the engine may set its fields. */
  readonly ctx: FilterContext;
  match(p: DecodedPacket): boolean;
  /** pcap-filter text for libpcap (normalized, fully parenthesized), or null if not pcap-compatible. */
  toBpf(): string | null;
}

function parseWith(text: string, ctx: FilterContext): { node: Node; parser: Parser } {
  const toks = tokenize(text);
  let parser = new Parser(toks, 'wireshark', ctx);
  let node = parser.parse();
  if (node.bpf !== null) {
    // Only pcap-filter primitives: parse again with libpcap's precedence and meanings.
    parser = new Parser(toks, 'pcap', ctx);
    node = parser.parse();
  }
  return { node, parser };
}

/**
 * Compile a display or capture filter. Throws FilterError (and nothing else)
 * for any text that is not a valid filter.
 */
export function compileFilter(text: string, ctx: FilterContext = createFilterContext()): CompiledFilter {
  ensureBuiltinFields();
  if (typeof text !== 'string') throw new FilterError('filter must be a string', 0);
  let node: Node;
  let parser: Parser;
  try {
    ({ node, parser } = parseWith(text, ctx));
  } catch (e) {
    if (e instanceof FilterError) throw e;
    // A bug or an engine limit (stack, memory) must still surface as a FilterError.
    throw new FilterError(`cannot compile this filter: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  const fn = node.fn;
  let match: (p: DecodedPacket) => boolean = fn;
  if (parser.usesTcpRel) {
    const rel = ctx.tcpRel ?? (ctx.tcpRel = new TcpRelativeSeq());
    match = (p) => {
      rel.observe(p);
      return fn(p);
    };
  }
  const bpf = node.bpf;
  return {
    text,
    usesAppFields: parser.usesApp,
    isPcapCompatible: bpf !== null,
    ctx,
    match,
    toBpf: () => bpf,
  };
}

/**
 * The plain message the CLI prints when a live capture filter (`-f`) is not
 * pcap-filter syntax, or null when libpcap can take it as is.
 */
export function explainNotPcap(f: CompiledFilter): string | null {
  if (f.isPcapCompatible) return null;
  return `capture filter "${f.text}" uses Wireshark display-filter syntax, which libpcap cannot compile: write it in pcap-filter syntax (for example "tcp port 80 and host 10.0.0.5"), or pass it as a display filter with -Y`;
}

/** Forget per-capture state (first packet time, TCP sequence bases), e.g. when a file loops. */
export function resetFilterContext(ctx: FilterContext): void {
  ctx.firstTime = NaN;
  ctx.firstSec = NaN;
  ctx.firstNsec = 0;
  ctx.firstFrom = NaN;
  ctx.tcpRel?.clear();
}

export type Validation = { ok: true } | { ok: false; column: number; offset: number; length: number; message: string };

/** Check a filter for the UI's live filter line without keeping the result. */
export function validateFilter(text: string): Validation {
  try {
    compileFilter(text);
    return { ok: true };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, column: e.column, offset: e.offset, length: e.length, message: e.message };
    return { ok: false, column: 1, offset: 0, length: 1, message: String(e) };
  }
}
