// Throughput of the verification core: Ed25519 verifies/s (native OpenSSL and portable noble),
// header hashes/s, and full commit verifications (types/validation.go VerifyCommit) per second
// for a 10-validator commit. Run: npm run bench:verify
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { nativeEd25519 } from '../electron/crypto/ed25519-native';
import { portableEd25519, type Ed25519Verifier } from '../shared/cometbft/ed25519';
import { headerHash, sortValidators, validatorAddress, validatorSetHash } from '../shared/cometbft/hash';
import { commitSigSignBytes } from '../shared/cometbft/sign-bytes';
import { verifyCommit } from '../shared/cometbft/commit';
import { BlockIdFlag, type Commit, type Header, type Validator } from '../shared/cometbft/types';

const N_VALIDATORS = 10;
const CHAIN = 'custos-bench';

function rate(label: string, budgetMs: number, fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < budgetMs) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    t = performance.now();
  }
  const perSec = (n * 1000) / (t - t0);
  console.log(`${label.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} /s`);
  return perSec;
}

const sha = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());

// Validators and keys.
const keys = new Map<string, KeyObject>();
const validators: Validator[] = [];
for (let i = 0; i < N_VALIDATORS; i++) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const pubKey = new Uint8Array(der.subarray(der.length - 32));
  const address = validatorAddress(pubKey);
  keys.set(Buffer.from(address).toString('hex'), privateKey);
  validators.push({ address, pubKey, pubKeyType: 'ed25519', votingPower: BigInt(10 + i), proposerPriority: 0n });
}
const vals = sortValidators({ validators });

// A header and its commit, every validator signing.
const header: Header = {
  version: { block: 11n, app: 1n },
  chainId: CHAIN,
  height: 1234n,
  time: { seconds: 1_700_000_000n, nanos: 123_456_789 },
  lastBlockId: { hash: sha('last'), parts: { total: 1, hash: sha('last parts') } },
  lastCommitHash: sha('lc'), dataHash: sha('data'),
  validatorsHash: validatorSetHash(vals), nextValidatorsHash: validatorSetHash(vals),
  consensusHash: sha('cons'), appHash: sha('app'), lastResultsHash: sha('res'), evidenceHash: sha('ev'),
  proposerAddress: vals.validators[0]!.address,
};
const blockId = { hash: headerHash(header), parts: { total: 1, hash: sha('parts') } };
const commit: Commit = {
  height: header.height, round: 0, blockId,
  signatures: vals.validators.map((v, i) => ({ blockIdFlag: BlockIdFlag.Commit, validatorAddress: v.address, timestamp: { seconds: header.time.seconds + 1n, nanos: i }, signature: new Uint8Array(0) })),
};
commit.signatures.forEach((s, i) => {
  s.signature = new Uint8Array(sign(null, commitSigSignBytes(CHAIN, commit, i), keys.get(Buffer.from(s.validatorAddress).toString('hex'))!));
});

// Single-signature workload: the commit's own (message, signature, key) triples in rotation.
const triples = commit.signatures.map((s, i) => ({ sig: s.signature, msg: commitSigSignBytes(CHAIN, commit, i), pub: vals.validators[i]!.pubKey }));
function verifier(v: Ed25519Verifier): () => void {
  let k = 0;
  return () => {
    const t = triples[k++ % triples.length]!;
    if (!v.verify(t.sig, t.msg, t.pub)) throw new Error(`${v.name} rejected a valid signature`);
  };
}
function commitCheck(v: Ed25519Verifier): () => void {
  return () => {
    const r = verifyCommit(CHAIN, vals, blockId, header.height, commit, v);
    if (!r.ok) throw new Error(`commit did not verify: ${r.check}`);
  };
}

console.log(`Custos verification core — node ${process.version}, OpenSSL ${process.versions.openssl}, ${N_VALIDATORS}-validator commit\n`);
const native = rate('Ed25519 verify, native (node:crypto)', 700, verifier(nativeEd25519));
const portable = rate('Ed25519 verify, portable (@noble/curves)', 700, verifier(portableEd25519));
rate('header hash (14-field Merkle root)', 400, () => { headerHash(header); });
rate('vote sign bytes', 300, () => { commitSigSignBytes(CHAIN, commit, 3); });
const cn = rate(`VerifyCommit ${N_VALIDATORS} sigs, native`, 700, commitCheck(nativeEd25519));
const cp = rate(`VerifyCommit ${N_VALIDATORS} sigs, portable`, 700, commitCheck(portableEd25519));
console.log(`\nportable/native Ed25519 throughput: ${(portable / native).toFixed(3)} (native ${(native / portable).toFixed(1)}x faster)`);
console.log(`portable/native commit throughput:  ${(cp / cn).toFixed(3)} (native ${(cn / cp).toFixed(1)}x faster)`);
