import { PerformanceObserver } from 'node:perf_hooks';

/** Garbage collections (scavenges and mark-sweeps) while `run` runs, after a short settle. */
export async function gcsDuring(run: () => void): Promise<number> {
  const gcs: string[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push(e.name);
  });
  obs.observe({ entryTypes: ['gc'] });
  await new Promise((r) => setTimeout(r, 20));
  gcs.length = 0;
  run();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return gcs.length;
}
