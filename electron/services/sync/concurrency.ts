// Small async helpers: a bounded parallel map, a limiter shared by several tasks, an abortable
// sleep, and turns for CPU work that leave the event loop free in between.

/** fn over items with at most `limit` running at once; results in input order; the first rejection rejects. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Resolves after ms, or early (without error) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** At most `limit` of the functions given to run() at once, across every caller; the others queue in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // handed a slot by release()
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get running(): number {
    return this.active;
  }
}

const turns: (() => void)[] = [];
let turnScheduled = false;

function nextTurn(): void {
  turnScheduled = false;
  const go = turns.shift();
  if (turns.length > 0) {
    turnScheduled = true;
    setImmediate(nextTurn);
  }
  go?.();
}

/**
 * Wait for a turn to do a piece of CPU work (e.g. checking one height). Turns are handed out
 * one per event-loop iteration, in order of asking, so that between two pieces the loop reads
 * answers and sends requests: work for many answers arriving together does not hold it for
 * all of them at once. The piece runs right after its turn resolves, until its next await.
 */
export function cpuTurn(): Promise<void> {
  return new Promise((resolve) => {
    turns.push(resolve);
    if (!turnScheduled) {
      turnScheduled = true;
      setImmediate(nextTurn);
    }
  });
}
