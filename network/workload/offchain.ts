// The off-chain store of the synthetic network: one JSON file per FHIR resource version, kept
// by (and named after) its custodian, as a custodian's FHIR server would serve them.
//
//   uri on chain:  fhir://<custodian>/<ResourceType>/<id>/_history/<version>
//   file on disk:  <dir>/<custodian>/<ResourceType>/<id>/_history/<version>.json
//
// The ledger anchors SHA-256 of the file's exact bytes (record.anchor / record.amend); anyone
// holding the directory can recompute it. `alter` plays the insider who edits a document after
// it was anchored, which is what the auditor's hash check must catch.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { serialise, type FhirResource } from './fhir';

export const URI_SCHEME = 'fhir://';
const URI_RE = /^fhir:\/\/([a-z0-9][a-z0-9-]{1,47})\/([A-Za-z]+)\/([A-Za-z0-9.-]{1,64})\/_history\/([1-9][0-9]{0,8})$/;

export interface StoredDocument {
  uri: string;
  path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export class OffchainStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  static uriOf(custodian: string, r: FhirResource): string {
    return `${URI_SCHEME}${custodian}/${r.resourceType}/${r.id}/_history/${r.meta.versionId}`;
  }

  /** The file a uri names in this store; throws for a uri that is not one of ours. */
  pathOf(uri: string): string {
    const m = URI_RE.exec(uri);
    if (!m) throw new Error(`not an off-chain store uri: ${uri}`);
    return join(this.dir, m[1]!, m[2]!, m[3]!, '_history', `${m[4]!}.json`);
  }

  /** Writes one resource version; returns where it is and the digest to anchor. */
  write(custodian: string, r: FhirResource): StoredDocument {
    const uri = OffchainStore.uriOf(custodian, r);
    const path = this.pathOf(uri);
    const bytes = serialise(r);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    return { uri, path, sha256: sha256Hex(bytes), bytes: bytes.length };
  }

  /** SHA-256 of the file a uri names, as it is now. */
  digest(uri: string): string {
    return sha256Hex(readFileSync(this.pathOf(uri)));
  }

  /**
   * Edits an anchored document in place, keeping it valid FHIR: a result value, a dose or a
   * conclusion changes, the version id does not. Returns the digest before and after.
   */
  alter(uri: string): { before: string; after: string; change: string } {
    const path = this.pathOf(uri);
    const raw = readFileSync(path);
    const r = JSON.parse(raw.toString('utf8')) as FhirResource & Record<string, unknown>;
    let change: string;
    const vq = r.valueQuantity as { value: number } | undefined;
    const comp = r.component as { valueQuantity: { value: number } }[] | undefined;
    if (vq) {
      const was = vq.value;
      vq.value = Math.round(was * 0.8 * 100) / 100;
      change = `valueQuantity.value ${was} → ${vq.value}`;
    } else if (comp?.[0]) {
      const was = comp[0].valueQuantity.value;
      comp[0].valueQuantity.value = was - 25;
      change = `component[0].valueQuantity.value ${was} → ${was - 25}`;
    } else if (r.resourceType === 'MedicationRequest') {
      const d = (r.dosageInstruction as { text: string }[])[0]!;
      const was = d.text;
      d.text = was.replace('1 tablet', '2 tablets').replace('1 capsule', '2 capsules');
      if (d.text === was) d.text = `${was}, doubled`;
      change = `dosageInstruction[0].text "${was}" → "${d.text}"`;
    } else if (typeof r.conclusion === 'string') {
      const was = r.conclusion;
      r.conclusion = 'All results within reference intervals.';
      if (r.conclusion === was) r.conclusion = 'No abnormality detected.';
      change = `conclusion "${was}" → "${r.conclusion}"`;
    } else {
      const notes = (r.note as { text: string }[] | undefined) ?? [];
      const was = notes[0]?.text ?? '';
      r.note = [{ text: 'No acute abnormality.' }, ...notes.slice(1)];
      if (was === 'No acute abnormality.') (r.note as { text: string }[])[0]!.text = 'Normal study.';
      change = `note[0].text "${was}" → "${(r.note as { text: string }[])[0]!.text}"`;
    }
    const bytes = serialise(r);
    writeFileSync(path, bytes);
    return { before: sha256Hex(raw), after: sha256Hex(bytes), change };
  }
}
