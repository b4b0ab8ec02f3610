// custos export DIR --out FILE [--force]: the replica as one bundle file (electron/services/bundle).

import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportBundle } from '../../services/bundle';
import { StoreError } from '../../services/store';
import { bool, required, type Parsed } from '../args';
import { COMMANDS } from '../commands';
import { CommandFailure, EXIT_OK, UsageError } from '../errors';
import type { Ctx } from '../main';
import { requireReplicaDir } from '../replica';
import { fmtBytes, fmtCount } from '../term';

export async function runExport(p: Parsed, ctx: Ctx): Promise<number> {
  const dir = p.positionals[0]!;
  const out = required(p, COMMANDS.export!, 'out');
  await requireReplicaDir(dir, 'export');
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out ${out} is a directory; give a file name`, 'export');
  if (existing && !bool(p, 'force')) throw new UsageError(`--out ${out} exists (use --force to replace it)`, 'export');
  if (!(await stat(dirname(out)).catch(() => undefined))?.isDirectory()) throw new UsageError(`--out ${out}: directory ${dirname(out)} does not exist`, 'export');

  let r;
  try {
    r = await exportBundle(dir, out);
  } catch (e) {
    if (e instanceof StoreError) throw new CommandFailure(e.message);
    throw e;
  }
  const m = r.manifest;
  const heights = m.heights.highest === 0 ? 'no heights' : `heights ${fmtCount(m.heights.lowest)}..${fmtCount(m.heights.highest)} (complete to ${fmtCount(m.heights.completeHeight)})`;
  ctx.out.write(`exported ${dir} to ${r.file}
  chain     ${m.chainId}
  genesis   sha256 ${m.genesisSha256}
  content   ${heights}, ${fmtCount(m.counts.records)} records in ${m.segments.length} segment(s)
  size      ${fmtBytes(r.bytes)}
  sha256    ${r.sha256} (the bundle's trailer: SHA-256 of everything before it)
`);
  return EXIT_OK;
}
