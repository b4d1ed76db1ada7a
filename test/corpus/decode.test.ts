import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket, L3, Malformed } from '../../src/decode/packet.js';
import { ip4ToString, ip6ToString } from '../../src/decode/addr.js';
import { Proto } from '../../src/decode/protocols.js';
import { readCapture, toRecord } from '../decode/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = resolve(here, '../../../shared/pcaps');
const REAL = join(CORPUS, 'real');
const MALFORMED = join(CORPUS, 'malformed');
const hasCorpus = existsSync(REAL);
const hasTshark = hasCorpus && (() => {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** First occurrence per packet of ip.src, ip.dst, ipv6.src, ipv6.dst: the outer header, as a flow table counts it. */
function tsharkAddrs(file: string): string[][] {
  const txt = execFileSync(
    'tshark',
    ['-n', '-r', file, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=/t',
      '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ipv6.src', '-e', 'ipv6.dst',
      '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'sctp.srcport', '-e', 'sctp.dstport'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return txt.split('\n').slice(0, -1).map((l) => l.split('\t'));
}

/**
 * The one intended difference: tshark reassembles IP fragments and shows the
 * transport ports only on the frame that completes a datagram, while the
 * decoder gives every fragment the ports of its first fragment (from the
 * fragment tracker), so a flow table counts all of them toward the flow.
 * Addresses must still match on those frames.
 */
function isFragmentPortDiff(out: DecodedPacket, expPorts: string): boolean {
  return expPorts === '-' && (out.isLaterFragment || out.ipMf === 1);
}

/**
 * ICMP errors quote the header of the datagram that caused them, and tshark's
 * first tcp/udp port is that quoted one. The packet itself has no ports.
 */
function isIcmpQuotePortDiff(out: DecodedPacket, gotPorts: string): boolean {
  return gotPorts === '-' && (out.topProto === Proto.Icmp || out.topProto === Proto.Icmpv6);
}

describe.skipIf(!hasTshark)('decoder addresses match tshark on the real corpus', () => {
  const dirs = [REAL, join(CORPUS, 'big')].filter((d) => existsSync(d));
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => join(d, f)));
  it.each(files)('%s', (file) => {
    const name = basename(file);
    const isReal = dirname(file) === REAL;
    const recs = readCapture(file);
    const want = tsharkAddrs(file);
    expect(recs.length).toBe(want.length);
    const dec = new Decoder();
    const out = new DecodedPacket();
    const diffs: string[] = [];
    let fragDiffs = 0;
    let quoteDiffs = 0;
    recs.forEach((f, i) => {
      dec.decode(toRecord(f), out);
      const [s4 = '', d4 = '', s6 = '', d6 = '', ts = '', td = '', us = '', ud = '', ss = '', sd = ''] = want[i]!;
      let got: string;
      let exp: string;
      if (out.l3 === L3.IPv4) {
        got = `${ip4ToString(out.ip4Src)} ${ip4ToString(out.ip4Dst)}`;
        exp = `${s4} ${d4}`;
      } else if (out.l3 === L3.IPv6) {
        got = `${ip6ToString(out.ip6Src)} ${ip6ToString(out.ip6Dst)}`;
        exp = `${s6} ${d6}`;
      } else {
        got = '-';
        exp = s4 || s6 ? `${s4}${s6} ${d4}${d6}` : '-';
      }
      const gotPorts = out.srcPort >= 0 ? `${out.srcPort} ${out.dstPort}` : '-';
      const expPorts = ts || us || ss ? `${ts}${us}${ss} ${td}${ud}${sd}` : '-';
      if (got === exp && gotPorts !== expPorts && isFragmentPortDiff(out, expPorts)) fragDiffs++;
      else if (got === exp && gotPorts !== expPorts && isIcmpQuotePortDiff(out, gotPorts)) quoteDiffs++;
      else {
        got += ` ports ${gotPorts}`;
        exp += ` ports ${expPorts}`;
      }
      if (got !== exp) {
        diffs.push(`frame ${i + 1}: got ${got} want ${exp} (${dec.paths.name(out.pathId)}, malformed ${out.malformed})`);
      }
      if (out.malformed === Malformed.Internal) diffs.push(`frame ${i + 1}: internal error`);
    });
    expect(diffs).toEqual([]);
    if (isReal) expect(quoteDiffs).toBe(0);
    // big/ files mix in fragmented traffic; in real/ only the two fragment captures have any
    if (isReal && !name.includes('fragments')) expect(fragDiffs).toBe(0);
    if (isReal && name.includes('fragments')) expect(fragDiffs).toBeGreaterThan(0);
  });
});

const FIELDS = ['vlan.id', 'ip.ttl', 'ip.len', 'ipv6.hlim', 'ipv6.plen', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw',
  'tcp.window_size_value', 'tcp.hdr_len', 'tcp.len', 'udp.length', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code', 'arp.opcode'];

/** Our value for each of FIELDS, '' where the packet does not have it (same convention as tshark). */
function ours(p: DecodedPacket): string[] {
  const n = (v: number): string => (v < 0 ? '' : String(v));
  const is4 = p.l3 === L3.IPv4;
  const is6 = p.l3 === L3.IPv6;
  const tcp = p.topProto === Proto.Tcp && p.tcpHdrLen >= 0;
  const icmp4 = p.topProto === Proto.Icmp;
  const icmp6 = p.topProto === Proto.Icmpv6;
  return [
    n(p.vlanId), is4 ? n(p.ipTtl) : '', is4 ? n(p.ipLen) : '', is6 ? n(p.ipTtl) : '', is6 ? n(p.ipLen - 40) : '',
    tcp ? String(p.tcpFlags) : '', tcp ? n(p.tcpSeq) : '', tcp ? n(p.tcpAck) : '', tcp ? n(p.tcpWin) : '',
    tcp ? n(p.tcpHdrLen) : '', tcp ? String(p.payloadWireLen) : '', p.topProto === Proto.Udp ? n(p.udpLen) : '',
    icmp4 ? n(p.icmpType) : '', icmp4 ? n(p.icmpCode) : '', icmp6 ? n(p.icmpType) : '', icmp6 ? n(p.icmpCode) : '',
    p.l3 === L3.Arp ? n(p.arpOp) : '',
  ];
}

/**
 * Where tshark shows a field we deliberately do not, or the first occurrence
 * is not the outer header: blank our and tshark's column so the rest still
 * compares.
 *  - tcp.flags: tshark prints hex including the 3 reserved bits; compare the low 9 bits.
 *  - Later IP fragments: tshark shows the reassembled transport on the last fragment.
 *  - ICMP errors quote the offending datagram; tshark's first tcp/udp field is the quoted one.
 *  - tcp.ack_raw is shown as 0 when ACK is not set; we keep the field's value.
 */
function normalise(exp: string[], got: string[], p: DecodedPacket): void {
  const col = (name: string): number => FIELDS.indexOf(name);
  if (exp[col('tcp.flags')]) exp[col('tcp.flags')] = String(parseInt(exp[col('tcp.flags')]!, 16) & 0x1ff);
  const fragmented = p.isLaterFragment || p.ipMf === 1;
  const quoted = p.topProto === Proto.Icmp || p.topProto === Proto.Icmpv6;
  for (const f of ['tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.window_size_value', 'tcp.hdr_len', 'tcp.len', 'udp.length']) {
    if (fragmented || quoted) exp[col(f)] = got[col(f)] = '';
  }
  if (p.tcpHdrLen >= 0 && (p.tcpFlags & 0x10) === 0) exp[col('tcp.ack_raw')] = got[col('tcp.ack_raw')] = '';
}

describe.skipIf(!hasTshark)('decoder header fields match tshark', () => {
  const dirs = [REAL, join(CORPUS, 'big')].filter((d) => existsSync(d));
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => join(d, f)));
  it.each(files)('%s', (file) => {
    const recs = readCapture(file);
    const txt = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=/t',
      ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const want = txt.split('\n').slice(0, -1).map((l) => l.split('\t'));
    expect(recs.length).toBe(want.length);
    const dec = new Decoder();
    const out = new DecodedPacket();
    const diffs: string[] = [];
    recs.forEach((f, i) => {
      dec.decode(toRecord(f), out);
      const exp = FIELDS.map((_, k) => want[i]![k] ?? '');
      const got = ours(out);
      normalise(exp, got, out);
      for (let k = 0; k < FIELDS.length; k++) {
        if (exp[k] !== got[k] && diffs.length < 20) {
          diffs.push(`frame ${i + 1} ${FIELDS[k]}: got ${got[k]} want ${exp[k]} (${dec.paths.name(out.pathId)} m${out.malformed})`);
        }
      }
    });
    expect(diffs).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)('decoder survives the malformed corpus', () => {
  const files = hasCorpus && existsSync(MALFORMED) ? readdirSync(MALFORMED).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];
  it.each(files)('%s', (name) => {
    let recs: ReturnType<typeof readCapture> = [];
    try {
      recs = readCapture(join(MALFORMED, name));
    } catch {
      return; // the container itself is broken: that is the capture reader's test, not ours
    }
    const dec = new Decoder();
    const out = new DecodedPacket();
    for (const f of recs) {
      expect(() => dec.decode(toRecord(f), out)).not.toThrow();
      expect(out.malformed).not.toBe(Malformed.Internal);
    }
  });
});

/** Malformed files whose damage the decoder must name (some frame of the file gets this reason). */
const KNOWN_DAMAGE: Array<[string, Malformed]> = [
  ['ipv4_invalid_hdr_length.pcap', Malformed.IPv4BadHeaderLength],
  ['ipv4_invalid_total_length_2.pcap', Malformed.IPv4BadTotalLength],
  ['ipv4_invalid_length.pcap', Malformed.IPv4Truncated],
  ['ipv6_bad_version.pcap', Malformed.IPv6BadVersion],
  ['ipv6_39_byte_header.pcap', Malformed.IPv6Truncated],
  ['ipv6_jumbo_too_long.pcap', Malformed.BadLength],
  ['zeek_ip6_ext_trunc.pcap', Malformed.IPv6BadExtHeader],
  ['linktype_ipv4_invalid.pcap', Malformed.IPv4BadVersion],
  ['linktype_ipv6_invalid.pcap', Malformed.IPv6BadVersion],
  ['linktype_unsupported_160.pcap', Malformed.UnsupportedLink],
  ['tcp_header_heapoverflow.pcap', Malformed.TcpTruncated],
  ['suricata_fuzz_bug6875.pcap', Malformed.TcpBadHeaderLength],
  ['sll_tftp_heapoverflow.pcap', Malformed.UdpBadLength],
  ['udp_length_heapoverflow.pcap', Malformed.UdpTruncated],
  ['zeek_icmp_header_trunc.pcap', Malformed.IcmpTruncated],
  ['arp_oobr.pcap', Malformed.ArpTruncated],
];

describe.skipIf(!existsSync(MALFORMED))('decoder names the damage in known malformed files', () => {
  it.each(KNOWN_DAMAGE)('%s', (name, reason) => {
    const dec = new Decoder();
    const out = new DecodedPacket();
    const seen = new Set<number>();
    for (const f of readCapture(join(MALFORMED, name))) {
      dec.decode(toRecord(f), out);
      seen.add(out.malformed);
    }
    expect([...seen]).toContain(reason);
  });
});
