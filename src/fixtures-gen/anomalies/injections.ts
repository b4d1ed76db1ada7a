import { Rng } from '../rng.js';
import { TCP } from '../packet-builder.js';
import { FILE_SERVER, RESOLVER, WEB_SERVER, clientAddr } from './background.js';
import type { FrameList } from './frames.js';

export type InjectionKind = 'port-scan' | 'host-sweep' | 'syn-flood' | 'dns-tunnel' | 'exfil' | 'beacon' | 'volume-spike';

export const INJECTION_KINDS: readonly InjectionKind[] = ['port-scan', 'host-sweep', 'syn-flood', 'dns-tunnel', 'exfil', 'beacon', 'volume-spike'];

export interface Injection {
  kind: InjectionKind;
  /** Seconds after the capture start. */
  atSec: number;
}

/** Who each injection comes from (or, for a flood, whom it hits): the subject its alert must name. */
export const INJECTION_SUBJECT: Record<InjectionKind, string> = {
  'port-scan': '10.1.0.66',
  'host-sweep': '10.1.0.67',
  'syn-flood': WEB_SERVER,
  'dns-tunnel': '10.1.0.77',
  exfil: '10.1.0.50',
  beacon: '10.1.0.31',
  'volume-spike': clientAddr(0),
};

export const EXFIL_DEST = '203.0.113.9';
export const BEACON_DEST = '198.51.100.7';
export const TUNNEL_DOMAIN = 'exfil-dns.net';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function randomLabel(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += B32[r.int(32)];
  return s;
}

/** Add one injection's frames; `start` is the capture start, `end` its end (epoch seconds). */
export function inject(inj: Injection, start: number, end: number, seed: number | string, out: FrameList): void {
  const r = new Rng(`${seed}:${inj.kind}`);
  const t0 = start + inj.atSec;
  const who = INJECTION_SUBJECT[inj.kind];
  switch (inj.kind) {
    case 'port-scan': {
      // Slow: one port every ~3 s. Closed ports answer RST, 445 answers SYN/ACK and the scanner resets.
      const ports = Array.from({ length: 1024 }, (_, i) => i + 1);
      for (let i = ports.length - 1; i > 0; i--) {
        const j = r.int(i + 1);
        [ports[i], ports[j]] = [ports[j]!, ports[i]!];
      }
      let t = t0;
      for (const p of ports) {
        if (t >= end) break;
        out.tcp(t, who, FILE_SERVER, 40000 + r.int(2000), p, TCP.SYN);
        if (p === 445) {
          out.tcp(t + 0.0004, FILE_SERVER, who, p, 40001, TCP.SYN | TCP.ACK);
          out.tcp(t + 0.0008, who, FILE_SERVER, 40001, p, TCP.RST);
        } else out.tcp(t + 0.0004, FILE_SERVER, who, p, 40001, TCP.RST | TCP.ACK);
        t += 2.8 + r.next() * 0.4;
      }
      return;
    }
    case 'host-sweep': {
      for (let h = 1; h < 255; h++) {
        const t = t0 + h * 0.4;
        const dst = `10.1.0.${h}`;
        out.icmpEcho(t, who, dst, 0x4242, h, true);
        if (h === 1 || h === 20 || h === 21 || h >= 100) out.icmpEcho(t + 0.0005, dst, who, 0x4242, h, false);
      }
      return;
    }
    case 'syn-flood': {
      const rate = 400;
      for (let i = 0; i < rate * 20; i++) {
        const t = t0 + i / rate;
        const src = `${1 + r.int(223)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
        const sport = 1024 + r.int(60000);
        out.tcp(t, src, WEB_SERVER, sport, 80, TCP.SYN, 0, r.u32());
        out.tcp(t + 0.0002, WEB_SERVER, src, 80, sport, TCP.SYN | TCP.ACK, 0, r.u32());
      }
      return;
    }
    case 'dns-tunnel': {
      let id = r.int(65536);
      for (let t = t0; t < Math.min(end, t0 + 120); t += 0.5) {
        id = (id + 1) & 0xffff;
        const name = `${randomLabel(r, 50)}.${randomLabel(r, 40)}.t.${TUNNEL_DOMAIN}`;
        out.dns(t, who, RESOLVER, 30000 + r.int(30000), id, name, 'TXT', 0.03, randomLabel(r, 60));
      }
      return;
    }
    case 'exfil': {
      out.session(t0, who, EXFIL_DEST, 51515, 443, 80_000_000, 20_000, 0.04, 1_000_000);
      return;
    }
    case 'beacon': {
      let t = t0;
      let port = 50000;
      while (t < end) {
        out.session(t, who, BEACON_DEST, port++, 443, 320, 180, 0.05);
        t += 30 * (1 + (r.next() - 0.5) * 0.06);
      }
      return;
    }
    case 'volume-spike': {
      for (let i = 0; i < 10; i++) {
        const c = clientAddr(i);
        const server = `151.101.${10 + i}.${20 + i}`;
        // The first host pulls the most, so it is the subject the alert must name.
        const bytes = i === 0 ? 300_000_000 : 30_000_000;
        out.session(t0 + i * 0.1, c, server, 60000 + i, 443, 500, bytes, 0.02, bytes / 40);
      }
      return;
    }
  }
}
