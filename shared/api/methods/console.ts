// Methods of the console service: replicas and network profiles, sync, verification, report
// and bundle export/import. Each answers quickly; long work runs in the background and shows
// up in the `console.status` event.
import * as s from '../schema';
import { userPath } from '../views/common';
import { consoleStatus, endpointUrl, genesisProbe, newProfile, replicaId } from '../views/console';
import { exportResult, participation, reportView } from '../views/report';
import { method } from './method';

const empty = s.object({});

export const consoleMethods = {
  'console.status': method({
    summary: 'The replicas, the open one, and the state of sync and verification on it.',
    request: empty,
    response: consoleStatus,
  }),
  'profile.probe': method({
    summary: 'Fetch the genesis from the given endpoints and show its SHA-256 for the user to pin.',
    request: s.object({ endpoints: s.array(endpointUrl, { max: 16 }) }),
    response: genesisProbe,
  }),
  'profile.create': method({
    summary: 'Create a network profile (chain id, endpoints, pinned genesis hash) with an empty replica, and open it.',
    request: newProfile,
    response: consoleStatus,
  }),
  'replica.open': method({
    summary: 'Open another replica of this user.',
    request: s.object({ id: replicaId }),
    response: consoleStatus,
  }),
  'sync.start': method({
    summary: 'Start (or resume) syncing the open replica from its profile’s endpoints; verification follows.',
    request: empty,
    response: consoleStatus,
  }),
  'sync.pause': method({
    summary: 'Pause the sync: what was fetched is kept; start again to resume.',
    request: empty,
    response: consoleStatus,
  }),
  'verify.start': method({
    summary: 'Verify the open replica (what is new, or everything again from the genesis with full).',
    request: s.object({ full: s.boolean() }),
    response: consoleStatus,
  }),
  'verify.cancel': method({
    summary: 'Cancel a running verification (what was verified is kept).',
    request: empty,
    response: consoleStatus,
  }),
  'verify.report': method({
    summary: 'The last verification report of the open replica, or null.',
    request: empty,
    response: s.object({ report: s.nullable(reportView) }),
  }),
  'verify.participation': method({
    summary: 'Who signed each commit of the open replica, and where the validator set changed.',
    request: s.object({ maxColumns: s.integer({ min: 10, max: 600 }) }),
    response: s.object({ participation: s.nullable(participation) }),
  }),
  'report.export': method({
    summary: 'Write the verification report as PDF or JSON (path null: ask with a native dialog).',
    request: s.object({ format: s.literal('pdf', 'json'), path: userPath }),
    response: exportResult,
  }),
  'bundle.export': method({
    summary: 'Write the open replica into one bundle file (path null: ask with a native dialog).',
    request: s.object({ path: userPath }),
    response: exportResult,
  }),
  'bundle.import': method({
    summary: 'Check a bundle, unpack it into a new replica, open it and verify it from its genesis.',
    request: s.object({ path: userPath, genesisSha256: s.nullable(s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/ })) }),
    response: s.object({ status: consoleStatus, cancelled: s.boolean() }),
  }),
} as const;
