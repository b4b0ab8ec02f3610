// The PDF writer: a structurally valid file (every xref offset points at its object), text
// in WinAnsiEncoding with escapes, and the report's failure table, read back by poppler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportView } from '../../../../shared/api';
import { encodeWinAnsi, textWidth, wrapText } from './fonts';
import { renderReportPdf } from './report-pdf';
import { PdfDocument } from './writer';

function havePoppler(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'custos-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), bytes);
    return execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-']).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHA = '0123456789abcdef'.repeat(4);
const report: ReportView = {
  format: 'custos-verification-report/1', tool: { name: 'custos', version: '0.1.0' }, ok: false, chainId: 'consortium-1', genesisSha256: SHA, pinnedGenesisSha256: SHA,
  heights: { from: 1, to: 40 }, run: { from: 1, to: 40, blocks: 40, resumedFromCheckpoint: null, checkpoint: 'none', threads: 2, signatureMisses: 0 },
  replica: { lowest: 1, highest: 40, complete: 40, source: '/replica' }, counts: { blocks: 40, txs: 120, signatures: 280, commitSignatures: 160, txSignatures: 120, validatorChanges: 1 },
  firstFailure: { height: 17, check: 'header.app_hash', expected: 'app hash 9F86D081884C7D65', found: 'app hash 60303AE22B998861' },
  failures: [
    { height: 17, check: 'header.app_hash', expected: 'app hash 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08', found: 'app hash 60303AE22B998861BCE3B28F33EEC1BE758A213C86C93C076DBE9F558C11C752' },
    { height: 23, check: 'tx.signature', expected: 'a valid Ed25519 signature by 5c20f429…', found: 'signature does not verify (tx 3)', detail: 'the transaction (a consent.grant) was altered' },
  ],
  failuresTotal: 2, failuresOmitted: 0, haltedBy: null, forkEvidence: [], cancelled: false,
  startedAt: '2026-11-24T10:00:00.000Z', finishedAt: '2026-11-24T10:00:02.500Z', durationMs: 2500, throughput: { blocksPerSecond: 16, signaturesPerSecond: 112 },
};

describe('PDF writer', () => {
  it('writes a file whose cross-reference table points at every object', () => {
    const doc = new PdfDocument();
    const page = doc.addPage();
    page.text(50, 60, 'Custos (test) \\ “quoted” — done…', { size: 12 });
    page.rect(50, 80, 100, 20, { fill: [0.9, 0.1, 0.1] });
    page.line(50, 120, 200, 120, { dash: [2, 2] });
    doc.addPage();
    const bytes = doc.toBytes({ title: 'T', creator: 'test', created: new Date(0) });
    const text = bytes.toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n\r$/gm)].map((m) => Number(m[1]));
    expect(entries.length).toBe(Number(/\/Size (\d+)/.exec(text)![1]) - 1);
    entries.forEach((offset, i) => expect(text.slice(offset, offset + 12)).toMatch(new RegExp(`^${i + 1} 0 obj\\n`)));
    expect(text).toContain('/Count 2');
  });

  it('encodes text in WinAnsi, spelling out what it lacks', () => {
    expect(encodeWinAnsi('A…–≥€')).toEqual([65, 0x85, 0x96, 62, 61, 63]);
    expect(textWidth('iii', 'Helvetica', 10)).toBeCloseTo(6.66, 2);
    expect(textWidth('iii', 'Courier', 10)).toBe(18);
    expect(wrapText(`short words then ${'F'.repeat(80)}`, 'Courier', 10, 200).every((l) => textWidth(l, 'Courier', 10) <= 200)).toBe(true);
  });

  it.skipIf(!havePoppler())('lists every failure with height, check, expected and found', () => {
    const text = pdfText(renderReportPdf({ report, participation: null, replicaName: 'Test replica', endpoints: ['http://n1:26657'], generatedAt: new Date('2026-11-24T10:01:00Z') }));
    expect(text).toContain('FAILED');
    expect(text).toContain('2 failure(s); the first at height 17 (header.app_hash)');
    expect(text).toMatch(/17\s+header\.app_hash/);
    expect(text).toMatch(/23\s+tx\.signature/);
    expect(text).toContain('9F86D081884C7D659A2F');
    expect(text).toMatch(/Transaction signatures.*FAILED \(1\)/);
    expect(text).toMatch(/Application state replay.*FAILED \(1\)/s);
    expect(text).toContain('Page 1 of');
  });
});
