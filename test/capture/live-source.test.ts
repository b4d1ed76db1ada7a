import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { capAvailable, requireCap, type CapHandle, type CapModule } from '../../src/capture/cap-module.js';
import { dropPrivileges } from '../../src/capture/privileges.js';
import { CaptureError } from '../../src/capture/capture-error.js';
import { defaultInterface, listInterfaces, type InterfaceInfo } from '../../src/capture/interfaces.js';
import { DROP_NOTE, DROP_NOTE_FILTERED, dropEstimateNote, openLiveSource } from '../../src/capture/live-source.js';
import { sysfsCounter } from '../../src/capture/iface-counters.js';
import { newSocketMapping, snaplenSlots, socketMappings } from '../../src/capture/ring-probe.js';
import { smallRingNote } from '../../src/capture/live-source.js';
import { FakeTimers } from './fake-timers.js';

/** A stand-in for the cap module: open() either throws `fail` or returns `linkType`. */
function fakeCap(opts: { fail?: string; linkType?: string; devices?: string[] } = {}) {
  const opened: { handle: FakeHandle; args: unknown[] }[] = [];
  class FakeHandle extends EventEmitter implements CapHandle {
    closed = false;
    buffer: Buffer | null = null;
    open(device: string, filter: string, bufSize: number, buffer: Buffer): string {
      opened.push({ handle: this, args: [device, filter, bufSize] });
      if (opts.fail) throw new Error(opts.fail);
      this.buffer = buffer;
      return opts.linkType ?? 'ETHERNET';
    }
    close(): void {
      this.closed = true;
    }
  }
  const cap: CapModule = {
    Cap: Object.assign(FakeHandle, {
      deviceList: () => (opts.devices ?? ['eth0', 'lo', 'any']).map((name) => ({ name, addresses: [] })),
    }),
  };
  return { cap, opened };
}

function errorOf(fn: () => unknown): CaptureError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return e as CaptureError;
  }
  throw new Error('expected a CaptureError');
}

describe('openLiveSource (fake cap)', () => {
  it('delivers packets from the buffer it keeps, stamped from the monotonic clock', async () => {
    const { cap, opened } = fakeCap({ linkType: 'LINKTYPE_LINUX_SLL' });
    const timers = new FakeTimers();
    const src = openLiveSource({ iface: 'any', bpf: 'udp', snaplen: 100, bufferMb: 2, cap, timers });
    expect(opened[0]!.args).toEqual(['any', 'udp', 2 * 1024 * 1024]);
    const h = opened[0]!.handle;
    expect(src.buffer).toBe(h.buffer);
    expect(src.linkType).toBe(113);
    expect(src.info).toMatchObject({ kind: 'live', name: 'any', linkTypes: ['LINUX_SLL'], dropped: null, dropNote: DROP_NOTE });
    const got: number[][] = [];
    const done = src.start((r) => got.push([r.capLen, r.origLen, r.linkType, r.tsSec, r.tsNsec, r.buf[r.off]!]));
    h.buffer!.fill(7, 0, 300);
    const t0 = got.length;
    h.emit('packet', 60, false);
    timers.t += 1500.000001; // 1.5 s later (ms)
    h.emit('packet', 300, false);
    expect(got.length - t0).toBe(2);
    expect(got[0]!.slice(0, 3)).toEqual([60, 60, 113]);
    expect(got[1]!.slice(0, 3)).toEqual([100, 300, 113]);
    const ns = (g: number[]) => g[3]! * 1e9 + g[4]!;
    expect(Math.abs(ns(got[0]!) - Date.now() * 1e6)).toBeLessThan(5e9);
    expect(got[1]![4]).toBeLessThan(1e9);
    expect(Math.round((ns(got[1]!) - ns(got[0]!)) / 1e3)).toBe(1_500_000);
    expect(src.info.packetsRead).toBe(2);
    src.pause();
    h.emit('packet', 60, false);
    expect(got).toHaveLength(2);
    src.resume();
    src.stop();
    expect(h.closed).toBe(true);
    expect(await done).toEqual({ reason: 'stopped' });
  });

  it('maps open failures to one-line CaptureErrors with exit code 2', () => {
    const perm = errorOf(() => openLiveSource({ iface: 'eth0', cap: fakeCap({ fail: 'socket: Operation not permitted' }).cap }));
    expect(perm.exitCode).toBe(2);
    expect(perm.message).toMatch(/no permission to capture on eth0/);
    expect(perm.message).toContain('sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))');
    const perm2 = errorOf(() =>
      openLiveSource({ iface: 'eth0', cap: fakeCap({ fail: "eth0: You don't have permission to capture on that device" }).cap }),
    );
    expect(perm2.message).toMatch(/run as root/);
    const missing = errorOf(() => openLiveSource({ iface: 'wlan9', cap: fakeCap().cap }));
    expect(missing).toMatchObject({ exitCode: 2, message: 'no such capture interface: wlan9 (available: eth0, lo, any)' });
    const gone = errorOf(() => openLiveSource({ iface: 'eth0', cap: fakeCap({ fail: 'No such device exists' }).cap }));
    expect(gone.message).toMatch(/^no such capture interface: eth0/);
    const bpf = errorOf(() => openLiveSource({ iface: 'lo', bpf: 'tcp prot 80', cap: fakeCap({ fail: "can't parse filter expression: syntax error" }).cap }));
    expect(bpf).toMatchObject({ exitCode: 2 });
    expect(bpf.message).toMatch(/^capture filter is not valid pcap-filter syntax: can't parse filter expression: syntax error/);
    for (const e of [perm, perm2, missing, gone, bpf]) expect(e.message).not.toContain('\n');
  });

  it('maps cap link type names to LINKTYPE numbers', () => {
    const names: [string, number][] = [['NULL', 0], ['ETHERNET', 1], ['RAW', 101], ['IEEE802_11_RADIO', 127], ['Unknown linktype 276', 276]];
    for (const [name, lt] of names) expect(openLiveSource({ iface: 'lo', cap: fakeCap({ linkType: name }).cap }).linkType).toBe(lt);
  });
});

describe('openLiveSource drop estimate', () => {
  it('compares packets delivered with the interface counters, when there is no capture filter', async () => {
    const { cap, opened } = fakeCap();
    const timers = new FakeTimers();
    let total = 1000;
    const src = openLiveSource({ iface: 'eth0', cap, timers, ifaceCounter: () => total });
    expect(src.info.dropNote).toBe(dropEstimateNote('eth0'));
    expect(src.info.dropped).toBe(0);
    const done = src.start(() => {});
    const h = opened[0]!.handle;
    total += 10;
    for (let i = 0; i < 6; i++) h.emit('packet', 60, false);
    src.pause();
    h.emit('packet', 60, false); // read and discarded: not a drop
    src.resume();
    expect(src.info.dropped).toBe(3);
    total += 100;
    expect(src.info.dropped).toBe(3); // re-read at most every 250 ms
    timers.t += 300;
    expect(src.info.dropped).toBe(103);
    expect({ ...src.info }.dropped).toBe(103);
    total += 5;
    src.stop();
    await done;
    total += 1000;
    timers.t += 1000;
    expect(src.info.dropped).toBe(108); // frozen at stop
    expect(JSON.parse(JSON.stringify(src.info)).dropped).toBe(108);
    const other = openLiveSource({ iface: 'eth0', cap, timers, ifaceCounter: () => 1 });
    other.info.dropped = 5; // assigning replaces the estimate instead of throwing
    expect(other.info.dropped).toBe(5);
  });

  it('gives no estimate with a capture filter or without counters', () => {
    const filtered = openLiveSource({ iface: 'eth0', bpf: 'udp', cap: fakeCap().cap, ifaceCounter: () => 5 });
    expect(filtered.info).toMatchObject({ dropped: null, dropNote: DROP_NOTE_FILTERED });
    const none = openLiveSource({ iface: 'eth0', cap: fakeCap().cap, ifaceCounter: null });
    expect(none.info).toMatchObject({ dropped: null, dropNote: DROP_NOTE });
    const nullCounter = openLiveSource({ iface: 'eth0', cap: fakeCap().cap, ifaceCounter: () => null, timers: new FakeTimers() });
    void nullCounter.start(() => {});
    expect(nullCounter.info.dropped).toBeNull();
    nullCounter.stop();
  });

  it('reads rx (loopback) or rx + tx from sysfs', () => {
    const files: Record<string, string> = {
      '/sys/class/net/lo/type': '772\n',
      '/sys/class/net/lo/statistics/rx_packets': '50\n',
      '/sys/class/net/lo/statistics/tx_packets': '50\n',
      '/sys/class/net/eth0/type': '1\n',
      '/sys/class/net/eth0/statistics/rx_packets': '7\n',
      '/sys/class/net/eth0/statistics/tx_packets': '3\n',
    };
    const read = (p: string) => {
      const v = files[p];
      if (v === undefined) throw new Error('ENOENT');
      return v;
    };
    expect(sysfsCounter('lo', read)?.()).toBe(50);
    expect(sysfsCounter('eth0', read)?.()).toBe(10);
    expect(sysfsCounter('any', read)).toBeNull();
    expect(sysfsCounter('../etc', read)).toBeNull();
  });
});

describe('kernel ring size', () => {
  const MAPS_BEFORE = [
    '55d0c0a00000-55d0c0a21000 r--p 00000000 08:01 123 /usr/bin/node',
    '7f0000000000-7f0000400000 rw-s 00000000 00:08 351900 socket:[351900]',
  ].join('\n');
  const ring = (mib: number) => `7f1000000000-${(0x7f1000000000 + mib * 1048576).toString(16)} rw-s 00000000 00:08 351943 socket:[351943]`;

  it('finds the mapping a new handle added and infers 64 KiB slots from its size', () => {
    expect([...socketMappings(MAPS_BEFORE).values()]).toEqual([4 * 1048576]);
    expect(newSocketMapping(MAPS_BEFORE, MAPS_BEFORE)).toBeNull();
    expect(newSocketMapping(MAPS_BEFORE, `${MAPS_BEFORE}\n${ring(32)}`)).toBe(32 * 1048576);
    expect(snaplenSlots(32 * 1048576, 16 * 1048576)).toBe(256);
    expect(snaplenSlots(16.2 * 1048576, 16 * 1048576)).toBeNull(); // MTU-sized slots: plenty
    expect(snaplenSlots(null, 16 * 1048576)).toBeNull();
  });

  it('says so in the drop note when the ring holds few packets', () => {
    let maps = MAPS_BEFORE;
    const { cap } = fakeCap();
    const readMaps = () => {
      const m = maps;
      maps = `${MAPS_BEFORE}\n${ring(32)}`; // the handle's ring appears after open()
      return m;
    };
    const src = openLiveSource({ iface: 'eth0', bufferMb: 16, cap, ifaceCounter: null, readMaps });
    expect(src.info.kernelRingPackets).toBe(256);
    expect(src.info.dropNote).toBe(`${DROP_NOTE}; ${smallRingNote(256)}`);
    const roomy = openLiveSource({ iface: 'eth0', bufferMb: 16, cap, ifaceCounter: null, readMaps: () => MAPS_BEFORE });
    expect(roomy.info).toMatchObject({ kernelRingPackets: null, dropNote: DROP_NOTE });
  });
});

describe('interfaces', () => {
  it('picks the first up non-loopback interface with an address', () => {
    const list: InterfaceInfo[] = [
      { name: 'any', description: 'Pseudo-device', addresses: [], flags: [] },
      { name: 'lo', description: '', addresses: [{ addr: '127.0.0.1', netmask: '255.0.0.0' }], flags: ['up', 'loopback'] },
      { name: 'eth1', description: '', addresses: [], flags: [] },
      { name: 'eth0', description: '', addresses: [{ addr: '10.0.0.2', netmask: '255.0.0.0' }], flags: ['up'] },
    ];
    expect(defaultInterface(list)).toBe('eth0');
    expect(defaultInterface(list.slice(0, 3))).toBe('lo');
    expect(defaultInterface([])).toBeNull();
  });

  it('lists interfaces with flags from the OS', () => {
    const list = listInterfaces(fakeCap({ devices: ['lo', 'eth0'] }).cap, {
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: null }],
    });
    expect(list).toEqual([
      { name: 'lo', description: '', addresses: [], flags: ['up', 'loopback'] },
      { name: 'eth0', description: '', addresses: [], flags: [] },
    ]);
  });
});

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const hasCap = capAvailable();
const liveReason = !root ? 'not running as root' : !hasCap ? 'the cap module did not load' : '';
if (liveReason) console.log(`skipping live capture tests on lo: ${liveReason}`);

describe.skipIf(liveReason !== '')('openLiveSource on lo (live)', () => {
  it('sizes the kernel ring: 64 KiB slots on lo, about 255 packets for 16 MiB', () => {
    const src = openLiveSource({ iface: 'lo', bufferMb: 16 });
    try {
      expect(src.info.kernelRingPackets).toBeGreaterThan(200);
      expect(src.info.kernelRingPackets).toBeLessThan(300);
      expect(src.info.dropNote).toContain(smallRingNote(src.info.kernelRingPackets!));
    } finally {
      src.stop();
    }
  });

  it('captures exactly the UDP datagrams sent to a random port', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000);
    const n = 25;
    const src = openLiveSource({ iface: 'lo', bpf: `udp and dst port ${port}` });
    let got = 0;
    let bytes = 0;
    const done = src.start((r) => {
      got++;
      bytes += r.capLen;
      expect(r.linkType).toBe(1);
      expect(Math.abs(r.tsSec - Date.now() / 1000)).toBeLessThan(10);
    });
    const sock = createSocket('udp4');
    for (let i = 0; i < n; i++) {
      await new Promise<void>((res, rej) => sock.send(Buffer.alloc(32, i), port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    }
    sock.close();
    const deadline = Date.now() + 5000;
    while (got < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100)); // let any duplicate show up before counting
    src.stop();
    await done;
    expect(got).toBe(n);
    expect(bytes).toBe(n * (14 + 20 + 8 + 32));
    expect(src.info.packetsRead).toBe(n);
  });

  it('reports a missing interface and a bad filter as CaptureErrors', () => {
    const e = errorOf(() => openLiveSource({ iface: 'nosuch0' }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^no such capture interface: nosuch0/);
    const f = errorOf(() => openLiveSource({ iface: 'lo', bpf: 'udp and and' }));
    expect(f.exitCode).toBe(2);
    expect(f.message).toMatch(/^capture filter is not valid pcap-filter syntax: /);
  });

  it('lists lo as an up loopback interface', () => {
    const lo = listInterfaces().find((i) => i.name === 'lo');
    expect(lo?.flags).toEqual(['up', 'loopback']);
    expect(lo?.addresses.map((a) => a.addr)).toContain('127.0.0.1');
    const list = listInterfaces();
    const outside = list.find((i) => i.flags.includes('up') && !i.flags.includes('loopback') && i.addresses.length > 0);
    expect(defaultInterface(list)).toBe(outside?.name ?? 'lo');
  });
});

describe('when cap or privileges are unavailable', () => {
  it('names the fix when the cap module cannot load', () => {
    const e = errorOf(() =>
      requireCap(() => {
        throw new Error("Cannot find module '../build/Release/cap.node'\nRequire stack: ...");
      }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain('apt-get install libpcap-dev');
    expect(e.message).toContain('npm rebuild cap');
  });

  it('refuses to drop privileges to a user that does not exist', () => {
    const e = errorOf(() => dropPrivileges('no-such-user-wiretop'));
    expect(e).toMatchObject({ exitCode: 2, message: 'cannot drop privileges: no such user no-such-user-wiretop' });
  });
});

describe('openLiveSource consumer errors', () => {
  it('ends start() with an exception thrown by onPacket instead of letting it reach cap', async () => {
    const { cap, opened } = fakeCap();
    const src = openLiveSource({ iface: 'lo', cap });
    const boom = new Error('boom');
    const done = src.start(() => {
      throw boom;
    });
    opened[0]!.handle.emit('packet', 60, false);
    await expect(done).rejects.toBe(boom);
    expect(opened[0]!.handle.closed).toBe(true);
  });
});
