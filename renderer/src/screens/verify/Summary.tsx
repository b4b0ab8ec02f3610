// The summary a regulator signs off: the verdict, and what it covers.
import type { ReplicaSummary, ReportView } from '../../../../shared/api';
import { fmtInt, fmtRate, fmtTime } from '../../format';
import { hashOf } from '../../route';
import { Facts } from '../../ui/Facts';
import { Hash } from '../../ui/Hash';
import { Status } from '../../ui/Status';

export function verdict(r: ReportView): { tone: 'ok' | 'fail' | 'warn'; word: string; line: string } {
  if (r.ok) return { tone: 'ok', word: 'Verified', line: 'Every check passed on every height of the replica.' };
  if (r.failuresTotal === 0 && !r.haltedBy && r.cancelled) return { tone: 'warn', word: 'Incomplete', line: `Verification was cancelled after height ${r.heights.to ?? '–'}.` };
  const f = r.firstFailure ?? r.haltedBy;
  return { tone: 'fail', word: 'Failed', line: `${fmtInt(Math.max(1, r.failuresTotal))} failure(s)${f ? `; the first at height ${f.height} (${f.check})` : ''}.` };
}

export function Summary({ report: r, replica }: { report: ReportView; replica: ReplicaSummary }) {
  const v = verdict(r);
  const pinOk = r.pinnedGenesisSha256 !== null && r.pinnedGenesisSha256 === r.genesisSha256;
  return (
    <div className={`verdict is-${v.tone}`} data-testid="verdict" data-verdict={v.word.toLowerCase()}>
      <div className="verdict-head">
        <Status tone={v.tone} testId="verdict-word">
          {v.word}
        </Status>
        <span>{v.line}</span>
      </div>
      <Facts
        testId="summary"
        items={[
          ['Chain', <span className="mono">{r.chainId ?? 'unknown'}</span>],
          [
            'Pinned genesis',
            r.pinnedGenesisSha256 ? (
              <span className="inline">
                <Hash value={r.pinnedGenesisSha256} label="pinned genesis SHA-256" />
                {pinOk ? <Status tone="ok">stored genesis matches</Status> : <Status tone="fail">stored genesis differs</Status>}
              </span>
            ) : (
              <span className="inline">
                <Status tone="warn">Not pinned</Status>
                <span className="muted">stored genesis</span> <Hash value={r.genesisSha256 ?? ''} label="stored genesis SHA-256" />
              </span>
            ),
          ],
          ['Heights covered', r.heights.from === null ? 'none' : <span className="num">{`${fmtInt(r.heights.from)} to ${fmtInt(r.heights.to!)} of ${fmtInt(r.replica.highest)}`}</span>],
          ['Blocks', <span className="num" data-testid="count-blocks">{fmtInt(r.counts.blocks)}</span>],
          ['Transactions', <span className="num" data-testid="count-txs">{fmtInt(r.counts.txs)}</span>],
          ['Signatures checked', <span className="num">{`${fmtInt(r.counts.signatures)} (${fmtInt(r.counts.commitSignatures)} commit, ${fmtInt(r.counts.txSignatures)} transaction)`}</span>],
          ['Validator changes', <span className="num">{fmtInt(r.counts.validatorChanges)}</span>],
          ['Failures', <span className="num" data-testid="count-failures">{fmtInt(r.failuresTotal)}</span>],
          ['Fork evidence', r.forkEvidence.length ? <a href={hashOf('sync')}>{`${r.forkEvidence.length} height(s)`}</a> : 'none'],
          ['Replica', replica.name],
          ['Verified', <span className="num">{`${fmtTime(r.finishedAt)} · ${(r.durationMs / 1000).toFixed(1)} s · ${fmtRate(r.throughput.blocksPerSecond)} blocks/s · ${r.run.threads} worker thread(s)`}</span>],
        ]}
      />
    </div>
  );
}
