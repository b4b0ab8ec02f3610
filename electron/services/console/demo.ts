// The embedded demo replica: demo/custos-demo.bundle, produced by `npm run demo:build` from
// the project's own devnet, and demo/custos-demo.genesis-sha256, the hash of its genesis. The
// hash ships in the source tree next to the bundle; the console pins it when it imports the
// bundle on first start, so the demo is verified from a pinned genesis like any replica.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_BUNDLE = 'custos-demo.bundle';
export const DEMO_PIN_FILE = 'custos-demo.genesis-sha256';

/** The demo in `demoDir` (the project's demo/ folder), or null when it is not there. */
export function embeddedDemo(demoDir: string): { bundle: string; genesisSha256: string } | null {
  const bundle = join(demoDir, DEMO_BUNDLE);
  const pinFile = join(demoDir, DEMO_PIN_FILE);
  if (!existsSync(bundle) || !existsSync(pinFile)) return null;
  const pin = readFileSync(pinFile, 'utf8').trim().split(/\s+/)[0] ?? '';
  return /^[0-9a-f]{64}$/.test(pin) ? { bundle, genesisSha256: pin } : null;
}
