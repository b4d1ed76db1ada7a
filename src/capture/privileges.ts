import { readFileSync } from 'node:fs';
import { CaptureError, oneLine } from './capture-error.js';

function lookupUser(user: string): { uid: number; gid: number } | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === user && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    // no /etc/passwd: fall through to setuid by name
  }
  return null;
}

/**
 * Switch to `user` (its primary group and supplementary groups, then its uid)
 * after the capture handle is open, like tcpdump -Z: the open handle keeps
 * working, everything else runs unprivileged.
 */
export function dropPrivileges(user: string): void {
  if (typeof process.setuid !== 'function' || typeof process.setgid !== 'function') {
    throw new CaptureError('dropping privileges is not supported on this platform', 2);
  }
  const ids = lookupUser(user);
  try {
    if (ids) {
      (process as { initgroups?: (u: string, g: number) => void }).initgroups?.(user, ids.gid);
      process.setgid(ids.gid);
      process.setuid(ids.uid);
    } else {
      process.setuid(user);
    }
  } catch (e) {
    const msg = oneLine(e);
    if (/not found|unknown|does not exist/i.test(msg)) throw new CaptureError(`cannot drop privileges: no such user ${user}`, 2);
    throw new CaptureError(`cannot drop privileges to ${user}: ${msg}`, 2);
  }
}
