import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLayerViolations } from './layers';

describe('layering rule', () => {
  it('holds for this tree', () => {
    expect(findLayerViolations(process.cwd())).toEqual([]);
  });

  it('catches shared/ importing node:fs and renderer/ importing electron', () => {
    const root = mkdtempSync(join(tmpdir(), 'custos-layers-'));
    mkdirSync(join(root, 'shared'));
    mkdirSync(join(root, 'renderer', 'src'), { recursive: true });
    writeFileSync(join(root, 'shared', 'bad.ts'), "import { readFileSync } from 'node:fs';\n");
    writeFileSync(join(root, 'renderer', 'src', 'bad.tsx'), "import { ipcRenderer } from 'electron';\nimport x from '../../electron/main';\n");
    const found = findLayerViolations(root);
    expect(found.map((v) => `${v.file}:${v.line} ${v.spec}`).sort()).toEqual([
      'renderer/src/bad.tsx:1 electron',
      'renderer/src/bad.tsx:2 ../../electron/main',
      'shared/bad.ts:1 node:fs',
    ]);
  });
});
