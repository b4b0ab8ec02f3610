// Every light-client single-step case (tendermint-rs model-based vectors), fed step by step like
// tendermint-rs light-client/tests/model_based.rs single_step_test: the initial trusted block is
// (signed_header, next_validator_set), clock drift 0, trust threshold 1/3; a step that verifies
// becomes the trusted block, one that fails leaves the trusted block as it was.
import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, listVectors, readVector } from '../../test/vectors';
import { decodeSignedHeader, decodeTimestamp, decodeValidatorSet } from './decode';
import { classifyLightVerdict, verify, type TrustedState } from './header-checks';
import { portableEd25519 } from './ed25519';
import { describeFailure } from './verdict';

interface Step { block: { signed_header: unknown; validator_set: unknown; next_validator_set: unknown }; now: string; verdict: string }
interface Case { description: string; initial: { signed_header: unknown; next_validator_set: unknown; trusting_period: string; now: string }; input: Step[] }

const DIR = 'light-client-single-step';
const files = HAVE_VECTORS ? listVectors(DIR) : [];
let steps = 0;

describe.skipIf(!HAVE_VECTORS)('light-client single-step vectors (tendermint-rs model-based)', () => {
  it('has the case files', () => {
    expect(files.length).toBeGreaterThanOrEqual(41);
  });

  for (const file of files) {
    it(file, () => {
      const tc = readVector(`${DIR}/${file}`) as Case;
      let trusted: TrustedState = {
        signedHeader: decodeSignedHeader(tc.initial.signed_header),
        nextValidators: decodeValidatorSet(tc.initial.next_validator_set),
      };
      const trustingPeriodNs = BigInt(tc.initial.trusting_period);
      tc.input.forEach((step, i) => {
        const sh = decodeSignedHeader(step.block.signed_header);
        const vals = decodeValidatorSet(step.block.validator_set);
        const v = verify(trusted, sh, vals, { trustingPeriodNs, now: decodeTimestamp(step.now), maxClockDriftNs: 0n }, portableEd25519);
        const got = classifyLightVerdict(v);
        expect(got, `step ${i} (height ${sh.header.height}): ${v.ok ? 'verified' : describeFailure(v)}`).toBe(step.verdict);
        if (v.ok) trusted = { signedHeader: sh, nextValidators: decodeValidatorSet(step.block.next_validator_set) };
        steps++;
      });
    });
  }

  it('ran every step', () => {
    console.info(`[light-client] ${files.length} cases, ${steps} steps verified`);
    expect(steps).toBeGreaterThan(0);
  });
});
