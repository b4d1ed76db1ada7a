/** Durations and capture-clock times. Capture times are shown in UTC, marked `Z`, so tests and
 * screenshots do not depend on the machine's zone and nobody mistakes them for local time. */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(sec)}s`;
  if (m > 0) return `${m}m${pad(sec)}s`;
  return `${sec}s`;
}

/**
 * ISO text of a time in ms, or null past what Date holds (+-8.64e15 ms): a pcapng timestamp
 * with one flipped bit is ~2^63 us, and toISOString would throw out of a render.
 */
function isoOrNull(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `2024-01-02 10:00:03Z` */
export function formatClock(epochSeconds: number): string {
  const iso = isoOrNull(Math.floor(epochSeconds) * 1000);
  return iso === null ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** `10:00:03.123` for packet lines. */
export function formatTimeOfDay(epochSeconds: number): string {
  return isoOrNull(Math.round(epochSeconds * 1000))?.slice(11, 23) ?? '-';
}

/** How long ago, relative to the capture clock: `3s`, `2m05s`. */
export function formatAgo(then: number, now: number): string {
  return formatDuration(Math.max(0, now - then));
}
