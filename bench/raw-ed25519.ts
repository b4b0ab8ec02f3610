// The baseline both verification benchmarks divide by: plain OpenSSL Ed25519 verifies per
// second (node:crypto verify with one cached key, 64 distinct ~200-byte messages) on `threads`
// worker threads, each warmed up first and all started together.
import { generateKeyPairSync, sign } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export async function rawEd25519(threads: number, ms: number): Promise<number> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const msgs = Array.from({ length: 64 }, (_, i) => Buffer.from(`message ${i} `.repeat(20)));
  const sigs = msgs.map((m) => sign(null, m, privateKey));
  const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPublicKey, verify } = require('node:crypto');
    const key = createPublicKey(workerData.pem);
    const msgs = workerData.msgs.map((m) => Buffer.from(m)), sigs = workerData.sigs.map((s) => Buffer.from(s));
    for (let i = 0; i < 200; i++) verify(null, msgs[i % 64], key, sigs[i % 64]);
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      let n = 0; const t = performance.now(), end = t + workerData.ms;
      while (performance.now() < end) for (let i = 0; i < msgs.length; i++) { if (verify(null, msgs[i], key, sigs[i])) n++; }
      parentPort.postMessage({ n, s: (performance.now() - t) / 1000 });
    });`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true, workerData: { pem, msgs: msgs.map((m) => new Uint8Array(m)), sigs: sigs.map((s) => new Uint8Array(s)), ms } }));
  try {
    await Promise.all(workers.map((w) => new Promise((r, reject) => { w.once('message', r); w.once('error', reject); })));
    const results = await Promise.all(workers.map((w) => new Promise<{ n: number; s: number }>((r) => {
      w.once('message', r);
      w.postMessage('go');
    })));
    return results.reduce((a, x) => a + x.n / x.s, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
