// What the sync and the verifier leave next to a replica, read back when it is opened: the
// fork evidence (forks.jsonl) and the last verification report (console-report.json).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORKS_FILE } from '../sync';
import type { VerificationReport } from '../verify';
import { REPORT_FILE } from './verify-job';

export async function readForkEvidence(dir: string): Promise<unknown[]> {
  const text = await readFile(join(dir, FORKS_FILE), 'utf8').catch(() => '');
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* a torn last line: the sync fsyncs whole lines, so only a crash mid-write leaves one */
    }
  }
  return out;
}

export async function readSavedReport(dir: string): Promise<VerificationReport | null> {
  try {
    const r = JSON.parse(await readFile(join(dir, REPORT_FILE), 'utf8')) as VerificationReport;
    return r.format === 'custos-verification-report/1' ? r : null;
  } catch {
    return null;
  }
}
