// Blocks per second over a sliding window, and the ETA it implies.

export class RateMeter {
  private samples: { t: number; n: number }[] = [];
  private total = 0;

  constructor(private readonly windowMs = 10_000) {}

  add(n: number, now = performance.now()): void {
    this.total += n;
    this.samples.push({ t: now, n: this.total });
    while (this.samples.length > 2 && now - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  perSecond(now = performance.now()): number {
    const first = this.samples[0];
    if (!first || this.samples.length < 2) return 0;
    const dt = now - first.t;
    return dt > 0 ? ((this.total - first.n) * 1000) / dt : 0;
  }

  eta(remaining: number, now = performance.now()): number | null {
    if (remaining <= 0) return 0;
    const r = this.perSecond(now);
    return r > 0 ? remaining / r : null;
  }
}
