// custos verify --no-index: the verification alone, nothing recorded in the derived index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, testChain, writeReplica } from '../test-chain';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'custos-verify-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('custos verify --no-index', () => {
  it('verifies without touching DIR/index.sqlite, says so, and a later run records the results', async () => {
    const chain = testChain();
    const dir = join(tmp, 'replica');
    await writeReplica(dir, chain);
    const r = await runCli(['verify', dir, '--json', '--threads', '1', '--no-index']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, heights: { from: 1, to: 12 } });
    expect(r.stderr).toMatch(/--no-index: the results are not recorded in the index \(.*index\.sqlite\)/);
    expect(existsSync(join(dir, 'index.sqlite'))).toBe(false);
    const later = await runCli(['verify', dir, '--threads', '1']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/recorded the result of 12 height\(s\)/);
  }, 60_000);
});
