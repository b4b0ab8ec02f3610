// custos verify DIR [--json] [--full] [--genesis-sha256 HEX] [--threads N] [--no-index]

import { bool, optional, parseSha256, parseThreads, type Parsed } from '../args';
import type { Ctx } from '../main';
import { requireReplicaDir } from '../replica';
import { verifyReplica } from './verification';

export async function runVerify(p: Parsed, ctx: Ctx): Promise<number> {
  const dir = p.positionals[0]!;
  const pinFlag = optional(p, 'genesis-sha256');
  const pin = pinFlag === undefined ? undefined : parseSha256(pinFlag, 'genesis-sha256', 'verify');
  const t = optional(p, 'threads');
  const threads = t === undefined ? undefined : parseThreads(t, 'threads', 'verify');
  await requireReplicaDir(dir, 'verify');
  const { code } = await verifyReplica(ctx, {
    dir, full: bool(p, 'full'), json: bool(p, 'json'), label: 'verify', scrub: !bool(p, 'full'), index: !bool(p, 'no-index'),
    ...(pin ? { pin } : {}), ...(threads ? { threads } : {}),
  });
  return code;
}
