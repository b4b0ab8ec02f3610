// custos index DIR [--rebuild] [--json]: bring the derived sql.js index (electron/services/index)
// up to date with the replica, or rebuild it from scratch. Reads the store; writes only the
// index file (DIR/index.sqlite, atomically).

import { openStore, type ReplicaStore } from '../../services/store';
import { counts, indexPathFor, openIndex, rebuildIndex, updateIndex, type Counts, type UpdateReport } from '../../services/index';
import { bool, type Parsed } from '../args';
import { CommandFailure, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from '../errors';
import type { Ctx } from '../main';
import { lockedFailure, requireReplicaDir } from '../replica';
import { fmtCount, Progress } from '../term';

export async function runIndex(p: Parsed, ctx: Ctx): Promise<number> {
  const dir = p.positionals[0]!;
  await requireReplicaDir(dir, 'index');
  const json = bool(p, 'json');
  let store: ReplicaStore;
  try {
    store = await openStore(dir, { readOnly: true });
  } catch (e) {
    throw new CommandFailure(`cannot read the replica store in ${dir}: ${(e as Error).message}`);
  }
  const progress = new Progress(ctx.err);
  let report: UpdateReport;
  let c: Counts;
  const path = indexPathFor(dir);
  const logged: string[] = [];
  try {
    const ix = await openIndex(path, { log: (line) => { logged.push(line); progress.note(line); } }).catch((e: unknown) => {
      throw lockedFailure(dir, e);
    });
    try {
      const opts = {
        signal: ctx.signal,
        onProgress: (u: { height: number; to: number; heights: number; txs: number }) =>
          progress.update(`index: height ${fmtCount(u.height)}/${fmtCount(u.to)}  ${fmtCount(u.heights)} height(s), ${fmtCount(u.txs)} tx(s) this run`),
      };
      report = bool(p, 'rebuild') ? await rebuildIndex(store, ix, opts) : await updateIndex(store, ix, opts);
      c = counts(ix);
    } finally {
      await ix.close();
    }
  } finally {
    progress.finish();
    await store.close();
  }
  if (json) ctx.out.write(`${JSON.stringify({ index: path, update: report, counts: c }, null, 2)}\n`);
  else {
    const what = report.heights === 0 ? 'nothing new to index' : `indexed heights ${fmtCount(report.from)}..${fmtCount(report.to)} (${fmtCount(report.heights)} height(s), ${fmtCount(report.txs)} tx(s)) in ${(report.ms / 1000).toFixed(1)} s`;
    const kinds = Object.entries(c.txsByKind).map(([k, n]) => `${k} ${fmtCount(n)}`).join(', ');
    ctx.out.write(`index ${path}: ${what}${report.rebuilt ? ` (rebuilt: ${report.rebuilt})` : ''}
  holds       heights up to ${fmtCount(c.lastHeight)} of chain ${c.chainId ?? '(unknown)'}: ${fmtCount(c.blocks)} blocks, ${fmtCount(c.txs)} txs (${fmtCount(c.txsFailed)} failed)
  tx kinds    ${kinds || 'none'}
  ledger      ${fmtCount(c.organisations)} organisations, ${fmtCount(c.patients)} patients, ${fmtCount(c.records)} records, ${fmtCount(c.consents)} consents, ${fmtCount(c.accesses)} accesses, ${fmtCount(c.proposals)} proposals
`);
  }
  if (report.stopped) {
    const reason = report.stopped.reason;
    if (!logged.some((l) => l.includes(reason))) ctx.err.write(`custos index: stopped before height ${report.stopped.height}: ${report.stopped.reason}\n`);
    return EXIT_FAILED;
  }
  return ctx.signal.aborted ? EXIT_INTERRUPTED : EXIT_OK;
}
