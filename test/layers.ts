// The layering rule as data, shared by the layer test and anyone who wants to check a tree.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface LayerViolation { file: string; line: number; spec: string; why: string }

const NODE_BUILTIN = /^(node:|(fs|path|os|crypto|child_process|net|http|https|worker_threads|stream|url|util|zlib|events|buffer)(\/|$))/;
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function layerOf(relPath: string): string {
  return relPath.split(sep)[0] ?? '';
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(p);
  }
}

/** Checks every import in shared/ and renderer/ against the layering rule. */
export function findLayerViolations(root: string): LayerViolation[] {
  const files: string[] = [];
  for (const layer of ['shared', join('renderer', 'src')]) {
    try { walk(join(root, layer), files); } catch { /* layer absent */ }
  }
  const out: LayerViolation[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    const layer = layerOf(rel);
    const isTest = /\.test\.tsx?$/.test(rel);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        const why = judge(layer, spec, isTest);
        if (why) out.push({ file: rel, line: i + 1, spec, why });
      }
    });
  }
  return out;
}

function judge(layer: string, spec: string, isTest: boolean): string | null {
  const crossesTo = (other: string) => spec.startsWith('.') && new RegExp(`(^|/)${other}(/|$)`).test(spec);
  if (layer === 'shared') {
    if (isTest) return null; // tests may read vector files from disk
    if (NODE_BUILTIN.test(spec)) return 'shared/ must not import Node built-ins';
    if (spec === 'electron' || spec.startsWith('electron/')) return 'shared/ must not import electron';
    if (/^(react|react-dom|d3|ws|sql\.js)(\/|$)/.test(spec)) return 'shared/ must not import host or UI packages';
    if (crossesTo('electron') || crossesTo('renderer') || crossesTo('network')) return 'shared/ must not import other layers';
  }
  if (layer === 'renderer') {
    if (NODE_BUILTIN.test(spec)) return 'renderer/ must not import Node built-ins';
    if (spec === 'electron' || spec.startsWith('electron/')) return 'renderer/ must not import electron';
    if (crossesTo('electron') || crossesTo('network')) return 'renderer/ must not import the Node side';
  }
  return null;
}
