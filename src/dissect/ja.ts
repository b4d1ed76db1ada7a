import { createHash } from 'node:crypto';

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

export interface HelloFields {
  legacyVersion: number;
  versions: number[];
  ciphers: number[];
  extensions: number[];
  groups: number[];
  ecPointFormats: number[];
  sigAlgs: number[];
  alpn: string[];
  hasSni: boolean;
}

/** JA3 text: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (GREASE removed). */
export function ja3String(h: HelloFields): string {
  const j = (a: number[]): string => a.filter((v) => !isGrease(v)).join('-');
  return `${h.legacyVersion},${j(h.ciphers)},${j(h.extensions)},${j(h.groups)},${h.ecPointFormats.join('-')}`;
}

export function md5Hex(s: string): string {
  return createHash('md5').update(s, 'latin1').digest('hex');
}

function sha12(s: string): string {
  return createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

const JA4_VERSIONS: Record<number, string> = {
  0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2',
  0xfeff: 'd1', 0xfefd: 'd2', 0xfefc: 'd3',
};

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** JA4's two ALPN characters: first and last of the first value, or hex nibbles when not alphanumeric, or "00". */
function ja4Alpn(alpn: string[]): string {
  const a = alpn[0];
  if (!a) return '00';
  const f = a.charCodeAt(0);
  const l = a.charCodeAt(a.length - 1);
  if (isAlnum(f) && isAlnum(l)) return a[0]! + a[a.length - 1]!;
  const fh = f.toString(16).padStart(2, '0');
  const lh = l.toString(16).padStart(2, '0');
  return fh[0]! + lh[1]!;
}

/**
 * JA4 (FoxIO, TLS client): `t13d1516h2_<ciphers>_<extensions>`.
 * transport t/q/d, version, d (SNI) or i, cipher and extension counts (GREASE
 * out, max 99), ALPN chars; then sha256[:12] of the sorted cipher list and of
 * the sorted extension list (without SNI and ALPN) + "_" + signature algorithms
 * in offered order.
 */
export function ja4(h: HelloFields, transport: 't' | 'q' | 'd' = 't'): string {
  const vers = h.versions.filter((v) => !isGrease(v));
  const top = vers.length > 0 ? Math.max(...vers) : h.legacyVersion;
  const ver = JA4_VERSIONS[top] ?? '00';
  const ciphers = h.ciphers.filter((v) => !isGrease(v));
  const exts = h.extensions.filter((v) => !isGrease(v));
  const cc = String(Math.min(ciphers.length, 99)).padStart(2, '0');
  const ec = String(Math.min(exts.length, 99)).padStart(2, '0');
  const a = `${transport}${ver}${h.hasSni ? 'd' : 'i'}${cc}${ec}${ja4Alpn(h.alpn)}`;
  const b = ciphers.length === 0 ? '000000000000' : sha12(ciphers.map(hex4).sort().join(','));
  const extList = exts.filter((v) => v !== 0x0000 && v !== 0x0010).map(hex4).sort().join(',');
  const sig = h.sigAlgs.filter((v) => !isGrease(v)).map(hex4).join(',');
  const c = extList === '' && sig === '' ? '000000000000' : sha12(sig ? `${extList}_${sig}` : extList);
  return `${a}_${b}_${c}`;
}
