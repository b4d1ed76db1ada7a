/**
 * Reverse DNS in the background. Lookups never block drawing: `request` queues addresses,
 * a few resolve at a time, and subscribers hear when names arrive so the next frame shows them.
 * Failures are remembered too, so a silent resolver is asked once per address.
 */

export type ReverseLookup = (addr: string) => Promise<readonly string[]>;

export interface NameCacheOptions {
  readonly maxEntries?: number;
  readonly concurrency?: number;
  readonly maxQueue?: number;
}

export class NameCache {
  private readonly names = new Map<string, string | null>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private inFlight = 0;
  private version = 0;
  private readonly maxEntries: number;
  private readonly concurrency: number;
  private readonly maxQueue: number;

  constructor(private readonly lookup: ReverseLookup, opts: NameCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 4096;
    this.concurrency = opts.concurrency ?? 4;
    this.maxQueue = opts.maxQueue ?? 256;
  }

  /** The name for an address, or undefined while unknown or unresolvable. */
  get(addr: string): string | undefined {
    return this.names.get(addr) ?? undefined;
  }

  request(addrs: Iterable<string>): void {
    for (const addr of addrs) {
      if (this.names.has(addr) || this.queued.has(addr) || this.queue.length >= this.maxQueue) continue;
      this.queue.push(addr);
      this.queued.add(addr);
    }
    this.pump();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const addr = this.queue.shift()!;
      this.inFlight++;
      this.lookup(addr).then(
        (names) => this.settle(addr, names[0] ?? null),
        () => this.settle(addr, null),
      );
    }
  }

  private settle(addr: string, name: string | null): void {
    this.inFlight--;
    this.queued.delete(addr);
    if (this.names.size >= this.maxEntries) {
      const oldest = this.names.keys().next().value;
      if (oldest !== undefined) this.names.delete(oldest);
    }
    this.names.set(addr, name);
    if (name !== null) {
      this.version++;
      for (const l of [...this.listeners]) l();
    }
    this.pump();
  }
}
