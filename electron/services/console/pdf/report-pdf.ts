// The verification report as a PDF a regulator can sign off: verdict, what was verified
// (chain, pinned genesis, heights, blocks, transactions, signatures, validator changes), each
// check group's status, every failure with height / check / expected / found, fork evidence,
// the validator participation heatmap with the validator-set changes marked, and a sign-off box.
import { CHECK_GROUPS, groupStatuses, type ParticipationView, type ReportView } from '../../../../shared/api';
import { FAIL, fitMiddle, Flow, INK, MARGIN, MUTED, OK, RULE, WARN } from './flow';
import { textWidth } from './fonts';
import { A4, type Rgb } from './writer';

export interface ReportPdfInput {
  report: ReportView;
  participation: ParticipationView | null;
  replicaName: string;
  endpoints: readonly string[];
  generatedAt: Date;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function verdictOf(r: ReportView): { word: string; line: string; color: Rgb } {
  if (r.ok) return { word: 'VERIFIED', line: 'Every check passed on every height of the replica.', color: OK };
  if (r.cancelled) return { word: 'INCOMPLETE', line: `Verification was cancelled after height ${r.heights.to ?? '-'}.`, color: WARN };
  const first = r.firstFailure;
  return { word: 'FAILED', line: `${n(r.failuresTotal)} failure(s)${first ? `; the first at height ${first.height} (${first.check})` : ''}.`, color: FAIL };
}

export function renderReportPdf(input: ReportPdfInput): Buffer {
  const { report: r, participation: p } = input;
  const chain = r.chainId ?? 'unknown chain';
  const flow = new Flow((page) => {
    page.text(MARGIN.left, 36, 'Custos verification report', { font: 'Helvetica-Bold', size: 9, color: MUTED });
    const right = `${chain} · generated ${input.generatedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`;
    page.text(A4.width - MARGIN.right - textWidth(right, 'Helvetica', 8.5), 36, right, { size: 8.5, color: MUTED });
    page.line(MARGIN.left, 44, A4.width - MARGIN.right, 44, { color: RULE, width: 0.6 });
  });

  // Title and verdict.
  flow.page.text(MARGIN.left, flow.y + 18, 'Verification of a consent-ledger replica', { font: 'Helvetica-Bold', size: 17, color: INK });
  flow.gap(30);
  flow.para(`Replica “${input.replicaName}” of chain ${chain}, verified from its genesis alone by Custos ${r.tool.version}.`, { color: MUTED, size: 10 });
  flow.gap(10);
  const v = verdictOf(r);
  flow.ensure(48);
  flow.page.rect(MARGIN.left, flow.y, flow.width, 40, { stroke: v.color, lineWidth: 1.2 });
  flow.page.rect(MARGIN.left, flow.y, 6, 40, { fill: v.color });
  flow.page.text(MARGIN.left + 18, flow.y + 17, v.word, { font: 'Helvetica-Bold', size: 14, color: v.color });
  flow.page.text(MARGIN.left + 18, flow.y + 32, v.line, { size: 9.5, color: INK });
  flow.gap(48);

  // What was verified.
  flow.heading('Summary');
  const pinNote = r.pinnedGenesisSha256 === null ? 'not pinned' : r.pinnedGenesisSha256 === r.genesisSha256 ? 'the stored genesis matches it' : 'DOES NOT MATCH the stored genesis';
  const mono = { font: 'Courier' as const, size: 8 };
  const rows: [string, string, boolean?][] = [
    ['Chain', chain],
    ['Pinned genesis SHA-256', `${r.pinnedGenesisSha256 ?? '(none)'}`, true],
    ['', pinNote],
    ['Stored genesis SHA-256', r.genesisSha256 ?? '(none)', true],
    ['Heights verified', r.heights.from === null ? 'none' : `${n(r.heights.from)} to ${n(r.heights.to!)} (the replica holds ${n(r.replica.lowest)} to ${n(r.replica.highest)})`],
    ['Blocks', n(r.counts.blocks)],
    ['Transactions', n(r.counts.txs)],
    ['Signatures checked', `${n(r.counts.signatures)} (${n(r.counts.commitSignatures)} in commit certificates, ${n(r.counts.txSignatures)} on transactions)`],
    ['Validator-set changes', n(r.counts.validatorChanges)],
    ['Failures', r.failuresTotal === 0 ? 'none' : `${n(r.failuresTotal)}${r.failuresOmitted ? ` (${n(r.failures.length)} listed)` : ''}`],
    ['Fork evidence', r.forkEvidence.length === 0 ? 'none' : `${r.forkEvidence.length} height(s)`],
    ['Endpoints synced from', input.endpoints.length ? input.endpoints.join(', ') : '(an imported bundle)'],
    ['Verified', `${r.startedAt} to ${r.finishedAt} (${(r.durationMs / 1000).toFixed(1)} s, ${r.run.threads} worker thread(s))`],
  ];
  if (r.haltedBy) rows.push(['Halted at', `height ${r.haltedBy.height} (${r.haltedBy.check}): nothing after it could be verified`]);
  flow.table(
    [{ title: 'Item', width: 140 }, { title: 'Value', width: flow.width - 140 }],
    rows.map(([k, val, isHash]) => [{ text: k, style: { color: MUTED } }, { text: val, style: isHash ? mono : {} }]),
    { size: 9 },
  );

  // Each check.
  flow.heading('Checks');
  const statuses = groupStatuses(r.failures.concat(r.haltedBy ? [r.haltedBy] : []), r.heights.from !== null);
  flow.table(
    [{ title: 'Check', width: 135 }, { title: 'What was verified', width: flow.width - 135 - 80 }, { title: 'Status', width: 80 }],
    CHECK_GROUPS.map((g) => {
      const st = statuses.get(g.id)!;
      const word = st.status === 'passed' ? 'Passed' : st.status === 'failed' ? `FAILED (${st.failures})` : 'Not run';
      const color = st.status === 'passed' ? OK : st.status === 'failed' ? FAIL : MUTED;
      return [{ text: g.title, style: { font: 'Helvetica-Bold' } }, { text: g.rule }, { text: word, style: { font: 'Helvetica-Bold', color } }];
    }),
  );

  // Every failure.
  flow.heading(`Failures${r.failuresTotal ? ` (${n(r.failuresTotal)})` : ''}`);
  const all = r.failures.concat(r.haltedBy && !r.failures.some((f) => f.height === r.haltedBy!.height && f.check === r.haltedBy!.check) ? [r.haltedBy] : []);
  if (all.length === 0) flow.para('No check failed at any height.', { color: MUTED });
  else {
    const small = { font: 'Courier' as const, size: 7.5 };
    flow.table(
      [{ title: 'Height', width: 50 }, { title: 'Check', width: 105 }, { title: 'Expected', width: (flow.width - 155) / 2 }, { title: 'Found', width: (flow.width - 155) / 2 }],
      all.map((f) => [{ text: String(f.height) }, { text: f.check, style: { font: 'Helvetica-Bold' } }, { text: f.expected, style: small }, { text: f.found + (f.detail ? `\n(${f.detail})` : ''), style: small }]),
    );
    if (r.failuresOmitted) flow.para(`${n(r.failuresOmitted)} further failure(s) are counted but not listed.`, { color: MUTED });
  }

  if (r.forkEvidence.length) {
    flow.heading('Fork evidence');
    for (const fe of r.forkEvidence) {
      flow.para(`Height ${fe.height}: ${fe.sides.length} different signed headers (${fe.resolution}). ${fe.note}`, { size: 9 });
      for (const s of fe.sides) flow.para(`• ${s.blockId} from ${s.endpoints.join(', ')}: ${s.certified ? 'certified' : 'not certified'} (${s.verdict})`, { size: 8.5, color: MUTED }, MARGIN.left + 10, flow.width - 10);
      flow.gap(4);
    }
  }

  if (p) drawParticipation(flow, p);

  // Sign-off.
  flow.heading('Sign-off');
  flow.para('I have reviewed this verification report and the replica it describes.', { size: 9.5 });
  flow.gap(8);
  flow.ensure(70);
  const boxes = ['Name', 'Role / organisation', 'Signature', 'Date'];
  const w = flow.width / boxes.length;
  boxes.forEach((label, i) => {
    const x = MARGIN.left + i * w;
    flow.page.line(x + 4, flow.y + 40, x + w - 8, flow.y + 40, { color: INK, width: 0.6 });
    flow.page.text(x + 4, flow.y + 52, label, { size: 8, color: MUTED });
  });
  flow.gap(64);
  flow.para(
    `How to reproduce: custos verify REPLICA_DIR --full --genesis-sha256 ${r.pinnedGenesisSha256 ?? r.genesisSha256 ?? 'HASH'}. ` +
      'Custos trusts nothing but the pinned genesis: every header, commit certificate, validator transition, transaction signature and the application state (by replay) are re-derived.',
    { size: 8, color: MUTED },
  );

  // Page numbers, now that the count is known.
  const total = flow.doc.pages.length;
  flow.doc.pages.forEach((page, i) => {
    const left = `Genesis ${fitMiddle(r.pinnedGenesisSha256 ?? r.genesisSha256 ?? 'none', 'Courier', 7.5, 200)}`;
    page.line(MARGIN.left, A4.height - 40, A4.width - MARGIN.right, A4.height - 40, { color: RULE, width: 0.6 });
    page.text(MARGIN.left, A4.height - 28, left, { font: 'Courier', size: 7.5, color: MUTED });
    const right = `Page ${i + 1} of ${total}`;
    page.text(A4.width - MARGIN.right - textWidth(right, 'Helvetica', 8.5), A4.height - 28, right, { size: 8.5, color: MUTED });
  });
  return flow.doc.toBytes({ title: `Custos verification report: ${chain}`, subject: v.line, creator: `Custos ${r.tool.version}`, created: input.generatedAt });
}

function drawParticipation(flow: Flow, p: ParticipationView): void {
  flow.heading('Validator participation');
  flow.para(
    `Who signed each commit, heights ${n(p.from)} to ${n(p.to)}${p.bucketSize > 1 ? ` (each column ${p.bucketSize} heights; shade = share signed)` : ''}. ` +
      'Dark: signed. Red: in the set but absent. Blank: not in the validator set. Dashed lines: the validator set changed.',
    { size: 8.5, color: MUTED },
  );
  flow.gap(6);
  const labelW = 150;
  const rowH = Math.max(7, Math.min(14, 220 / Math.max(1, p.validators.length)));
  const gridW = flow.width - labelW;
  const colW = gridW / Math.max(1, p.buckets.length);
  const h = rowH * p.validators.length + 28;
  flow.ensure(h);
  const top = flow.y;
  const { page } = flow;
  p.validators.forEach((v, i) => {
    const y = top + i * rowH;
    page.text(MARGIN.left, y + rowH * 0.75, `${v.address.slice(0, 8)}… p${v.power}${v.absent ? `, ${v.absent} absent` : ''}`, { font: 'Courier', size: Math.min(7.5, rowH * 0.8), color: INK });
    p.cells[i]!.forEach((c, j) => {
      if (c < 0) return;
      const x = MARGIN.left + labelW + j * colW;
      const color: Rgb = c === 0 ? FAIL : [0.85 - 0.7 * c, 0.87 - 0.7 * c, 0.9 - 0.7 * c];
      page.rect(x, y + 0.5, Math.max(0.4, colW - (colW > 3 ? 0.6 : 0)), rowH - 1, { fill: color });
    });
  });
  const bottom = top + rowH * p.validators.length;
  page.line(MARGIN.left + labelW, bottom + 2, MARGIN.left + flow.width, bottom + 2, { color: RULE });
  // Axis: first, last and a few heights between.
  const ticks = 5;
  for (let t = 0; t <= ticks; t++) {
    const j = Math.min(p.buckets.length - 1, Math.round((t * (p.buckets.length - 1)) / ticks));
    const label = String(p.buckets[j]!.from);
    const x = MARGIN.left + labelW + j * colW + colW / 2 - textWidth(label, 'Helvetica', 7) / 2;
    page.text(Math.min(x, MARGIN.left + flow.width - textWidth(label, 'Helvetica', 7)), bottom + 12, label, { size: 7, color: MUTED });
  }
  for (const c of p.changes) {
    const j = Math.floor((c.height - p.from) / p.bucketSize);
    const x = MARGIN.left + labelW + j * colW;
    page.line(x, top - 2, x, bottom + 2, { color: WARN, width: 0.8, dash: [2, 1.5] });
    const label = `set changed at ${c.height}${c.added.length ? ` (+${c.added.length})` : ''}${c.removed.length ? ` (-${c.removed.length})` : ''}`;
    page.text(Math.min(x + 2, MARGIN.left + flow.width - textWidth(label, 'Helvetica', 7)), bottom + 22, label, { size: 7, color: WARN });
  }
  flow.gap(h);
}
