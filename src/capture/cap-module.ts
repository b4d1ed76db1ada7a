import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { CaptureError, oneLine } from './capture-error.js';

/** The parts of the `cap` native module wiretop uses (see node_modules/cap/src/binding.cc). */
export interface CapHandle extends EventEmitter {
  /** Returns the link type as a name ('ETHERNET', 'NULL', 'RAW', 'LINKTYPE_LINUX_SLL', 'Unknown linktype N'). */
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
}

export interface CapDeviceAddress {
  addr: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}

export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapDeviceAddress[];
  flags?: string;
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] };
}

export const CAP_MISSING_HINT = 'install libpcap (apt-get install libpcap-dev) and run `npm rebuild cap`';

let cached: CapModule | null = null;
let failure: CaptureError | null = null;

/** Require `cap` with `req`, turning any failure into the CaptureError users see. */
export function requireCap(req: (id: string) => unknown): CapModule {
  try {
    return req('cap') as CapModule;
  } catch (e) {
    throw new CaptureError(`live capture is unavailable: the cap module did not load (${oneLine(e)}); ${CAP_MISSING_HINT}`, 2);
  }
}

/** Load `cap` lazily so file reading works when the native module failed to build. */
export function loadCap(): CapModule {
  if (cached) return cached;
  if (failure) throw failure;
  try {
    cached = requireCap(createRequire(import.meta.url));
    return cached;
  } catch (e) {
    failure = e as CaptureError;
    throw e;
  }
}

/** Whether `cap` can be loaded (for skipping live tests and hiding live-only UI). */
export function capAvailable(): boolean {
  try {
    loadCap();
    return true;
  } catch {
    return false;
  }
}

/** LINKTYPE number for the name cap.open() returns. */
export function capLinkType(name: string): number {
  switch (name) {
    case 'NULL':
      return 0;
    case 'ETHERNET':
      return 1;
    case 'IEEE802_11_RADIO':
      return 127;
    case 'LINKTYPE_LINUX_SLL':
      return 113;
    case 'RAW':
      return 101; // DLT_RAW differs per OS (12 or 14); LINKTYPE_RAW is 101 everywhere
    default: {
      const m = /(\d+)/.exec(name);
      return m ? Number(m[1]) & 0xffff : 1;
    }
  }
}
