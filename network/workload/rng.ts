// A small deterministic PRNG for the workload: sfc32 (Chris Doty-Humphrey's Small Fast
// Counting generator, 128-bit state) seeded from SHA-256 of a label, so every choice the
// workload makes is a pure function of its seed. `fork(label)` gives an independent stream,
// so adding draws in one part of the plan does not shift the choices of another.
import { createHash } from 'node:crypto';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly label: string) {
    const h = createHash('sha256').update(`custos-workload-rng/v1\0${label}`).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.u32();
  }

  fork(label: string): Rng {
    return new Rng(`${this.label}/${label}`);
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi), rounded to `digits` decimals. */
  real(lo: number, hi: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round((lo + this.float() * (hi - lo)) * f) / f;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.float() * xs.length)]!;
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = this.float() * total;
    for (const [v, w] of xs) {
      r -= w;
      if (r < 0) return v;
    }
    return xs[xs.length - 1]![0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** k distinct items (all of them if k ≥ length), in random order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle(xs).slice(0, Math.max(0, k));
  }

  /** n random bytes as lower-case hex. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += (this.u32() & 0xff).toString(16).padStart(2, '0');
    return s;
  }

  /** A DICOM UID under the UUID-derived root 2.25 (PS3.5 B.2), from 128 random bits. */
  dicomUid(): string {
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(this.u32());
    return `2.25.${v}`;
  }
}
