import { Rng } from '../rng.js';
import type { FrameList } from './frames.js';

export const RESOLVER = '10.1.0.1';
export const FILE_SERVER = '10.1.0.20';
export const WEB_SERVER = '10.1.0.21';

export interface BackgroundOptions {
  seed: number | string;
  startSec: number;
  durationSec: number;
  /** Browsing clients, 10.1.0.100 upwards (default 30). */
  hosts?: number;
  /** Mean seconds between page visits per client (default 30). */
  visitEverySec?: number;
}

export function clientAddr(i: number): string {
  return `10.1.${(100 + i) >> 8}.${(100 + i) & 255}`;
}

const WORDS = ['news', 'shop', 'mail', 'cloud', 'photo', 'video', 'maps', 'wiki', 'bank', 'travel', 'sport', 'music', 'code', 'docs', 'game'];
const TLDS = ['com', 'net', 'org', 'io', 'de'];
const FIRST_OCTETS = [23, 34, 52, 93, 104, 142, 151, 157, 185, 199];

interface Site {
  name: string;
  servers: string[];
}

function makeSites(): Site[] {
  const r = new Rng('wiretop-sites');
  const sites: Site[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `${WORDS[i % WORDS.length]}${WORDS[(i * 7 + 3) % WORDS.length]}.${TLDS[i % TLDS.length]}`;
    const n = 1 + r.int(3);
    const servers: string[] = [];
    for (let k = 0; k < n; k++) servers.push(`${r.pick(FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`);
    sites.push({ name, servers });
  }
  return sites;
}

const SITES = makeSites();

/** Log-uniform integer in [lo, hi]. */
function logUniform(r: Rng, lo: number, hi: number): number {
  return Math.round(Math.exp(Math.log(lo) + r.next() * (Math.log(hi) - Math.log(lo))));
}

/**
 * Clean office traffic: clients that look up a site, open one to three HTTPS
 * connections and download a page, now and then a file from the internal
 * file server or a page from the intranet server. Seeded: the same options
 * give the same frames.
 */
export function background(o: BackgroundOptions, out: FrameList): void {
  const r = new Rng(o.seed);
  const hosts = o.hosts ?? 30;
  const mean = o.visitEverySec ?? 30;
  const end = o.startSec + o.durationSec;
  for (let i = 0; i < hosts; i++) {
    const c = clientAddr(i);
    let port = 49152 + r.int(8000);
    const nextPort = (): number => (port = port >= 65000 ? 49152 : port + 1);
    let dnsId = r.int(65536);
    let t = o.startSec + r.next() * mean;
    while (t < end) {
      const roll = r.next();
      if (roll < 0.015) {
        // A software update or a video: tens of megabytes in one go.
        const site = r.pick(SITES);
        t = out.session(t, c, r.pick(site.servers), nextPort(), 443, 600, logUniform(r, 20_000_000, 80_000_000), 0.03, 3e6 + r.next() * 3e6);
      } else if (roll < 0.025) {
        // A photo or document going to a cloud service.
        const site = r.pick(SITES);
        t = out.session(t, c, r.pick(site.servers), nextPort(), 443, logUniform(r, 1_000_000, 8_000_000), 2000, 0.03, 1e6);
      } else if (roll < 0.08) {
        t = out.session(t, c, FILE_SERVER, nextPort(), 445, logUniform(r, 300, 4000), logUniform(r, 20_000, 1_500_000), 0.0005, 20e6);
      } else if (roll < 0.15) {
        t = out.session(t, c, WEB_SERVER, nextPort(), 80, 400, logUniform(r, 5000, 200_000), 0.0008, 10e6);
      } else {
        const site = r.pick(SITES);
        const sub = r.pick(['www', 'cdn', 'static', 'api', 'img']);
        const rtt = 0.01 + r.next() * 0.08;
        dnsId = (dnsId + 1) & 0xffff;
        const server = r.pick(site.servers);
        out.dns(t, c, RESOLVER, nextPort(), dnsId, `${sub}.${site.name}`, 'A', 0.002 + r.next() * 0.03, server);
        const conns = 1 + r.int(3);
        let last = t;
        for (let k = 0; k < conns; k++) {
          const s = k === 0 ? server : r.pick(r.pick(SITES).servers);
          const st = t + 0.04 + k * 0.03 + r.next() * 0.05;
          const done = out.session(st, c, s, nextPort(), 443, logUniform(r, 300, 2000), logUniform(r, 5000, 400_000), rtt);
          if (done > last) last = done;
        }
        t = last;
      }
      t += -Math.log(1 - r.next()) * mean;
    }
  }
}
