import { describe, expect, it } from 'vitest';
import { Limiter, sleep } from './concurrency';

describe('Limiter', () => {
  it('runs at most `limit` at once across callers, in order, and frees the slot on failure', async () => {
    const l = new Limiter(3);
    let now = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) => l.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++now);
      await sleep(5 + (i % 3));
      now--;
      if (i === 4) throw new Error('boom');
      return i;
    });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => task(i)));
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(l.running).toBe(0);
    expect(await l.run(async () => 'again')).toBe('again');
  });
});
