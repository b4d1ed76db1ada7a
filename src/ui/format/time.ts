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

/** `2024-01-02 10:00:03Z` */
export function formatClock(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds)) return '-';
  const iso = new Date(Math.floor(epochSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** `10:00:03.123` for packet lines. */
export function formatTimeOfDay(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds)) return '-';
  return new Date(Math.round(epochSeconds * 1000)).toISOString().slice(11, 23);
}

/** How long ago, relative to the capture clock: `3s`, `2m05s`. */
export function formatAgo(then: number, now: number): string {
  return formatDuration(Math.max(0, now - then));
}
