// custos import FILE --out DIR: check the bundle part by part (electron/services/bundle), unpack
// it into DIR, then verify the imported replica fully before reporting success.

import { rm, stat } from 'node:fs/promises';
import { BundleError, importBundle } from '../../services/bundle';
import { bool, optional, parseSha256, parseThreads, required, type Parsed } from '../args';
import { COMMANDS } from '../commands';
import { CommandFailure, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors';
import type { Ctx } from '../main';
import { requireNewDir } from '../replica';
import { fmtBytes, fmtCount } from '../term';
import { verifyReplica } from './verification';

export async function runImport(p: Parsed, ctx: Ctx): Promise<number> {
  const file = p.positionals[0]!;
  const out = required(p, COMMANDS.import!, 'out');
  const pinFlag = optional(p, 'genesis-sha256');
  const pin = pinFlag === undefined ? undefined : parseSha256(pinFlag, 'genesis-sha256', 'import');
  const t = optional(p, 'threads');
  const threads = t === undefined ? undefined : parseThreads(t, 'threads', 'import');
  const json = bool(p, 'json');
  const st = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(e.code === 'ENOENT' ? `${file}: no such file` : `${file}: ${e.message}`, 'import');
  });
  if (!st.isFile()) throw new UsageError(`${file} is not a file`, 'import');
  await requireNewDir(out, 'out', 'import');

  let r;
  try {
    r = await importBundle(file, out);
  } catch (e) {
    if (e instanceof BundleError) {
      if (e.part === 'output') throw new UsageError(`--out ${e.reason}`, 'import');
      throw new CommandFailure(`${e.message}; nothing was written to ${out}`);
    }
    throw e;
  }
  const m = r.manifest;
  if (pin !== undefined && m.genesisSha256 !== pin) {
    await rm(out, { recursive: true, force: true });
    throw new CommandFailure(`bundle refused: genesis: expected sha256 ${pin} (--genesis-sha256), found ${m.genesisSha256}; nothing was kept in ${out}`);
  }
  const say = json ? ctx.err : ctx.out;
  const heights = m.heights.highest === 0 ? 'no heights' : `heights ${fmtCount(m.heights.lowest)}..${fmtCount(m.heights.highest)} (complete to ${fmtCount(m.heights.completeHeight)})`;
  say.write(`bundle ${file} checked (${fmtBytes(r.bytes)}: header, manifest, genesis, ${m.segments.length} segment(s), trailer) and unpacked into ${out}
  chain     ${m.chainId}
  genesis   sha256 ${m.genesisSha256}${pin ? ' (matches --genesis-sha256)' : ' (as the bundle states it; pin it with --genesis-sha256 to check it)'}
  content   ${heights}, ${fmtCount(m.counts.records)} records; exported ${m.createdAt} by ${m.tool}
`);
  if (ctx.signal.aborted) {
    ctx.err.write(`custos import: interrupted before verification; ${out} holds the imported replica, NOT verified (custos verify ${out})\n`);
    return EXIT_INTERRUPTED;
  }
  ctx.err.write('verifying the imported replica from its genesis …\n');
  const { report, code } = await verifyReplica(ctx, { dir: out, full: true, json, label: 'import', ...(pin ? { pin } : {}), ...(threads ? { threads } : {}) });
  if (code === EXIT_OK) {
    ctx.err.write(`custos import: ${out} imported and verified (${fmtCount(report.counts.blocks)} blocks)\n`);
  } else if (code === EXIT_INTERRUPTED) {
    ctx.err.write(`custos import: verification interrupted; ${out} holds the imported replica, NOT fully verified (custos verify ${out} resumes)\n`);
  } else {
    ctx.err.write(`custos import: ${out} holds the imported replica, but it FAILED verification (${fmtCount(report.failuresTotal)} failure(s)); do not rely on it. It is kept for inspection.\n`);
  }
  return code;
}
