// Child process of crash.test.ts: appends heights with periodic flushes until killed, and
// resumes after the last complete height when started again. Prints "acked H" after each flush.
// Usage: node --import tsx crash-child.ts DIR HEIGHTS SEGMENT_SIZE FLUSH_EVERY MAX_LEN BIG_EVERY

import { openStore } from './store';
import { recordsFor } from './test-records';

const [dir, heights, segmentSize, flushEvery, maxLen, bigEvery] = process.argv.slice(2);
const N = Number(heights);
const store = await openStore(dir!, { segmentSize: Number(segmentSize) });
// Heights above the complete run may be partly stored: append them whole again (a later record supersedes).
let h = store.stats().completeHeight + 1;
process.stdout.write(`ready ${h - 1} ${store.openReport.truncated.length} ${store.openReport.recoveredRecords}\n`);
for (; h <= N; h++) {
  const recs = recordsFor(h, Number(maxLen), Number(bigEvery));
  await store.append(recs.slice(0, 2)); // two appends per height, so a kill can leave a height half-written
  await store.append(recs.slice(2));
  if (h % Number(flushEvery) === 0 || h === N) process.stdout.write(`acked ${(await store.flush()).completeHeight}\n`);
}
await store.close();
process.stdout.write('done\n');
