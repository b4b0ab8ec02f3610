// Offline replica bundles: one file holding a store's genesis, acknowledged segments and a
// manifest of hashes; import verifies all of it before anything appears in the target. See format.ts.

export { exportBundle, type ExportOptions, type ExportResult } from './export';
export { importBundle, type ImportResult } from './import';
export { BundleError, type BundlePart } from './errors';
export { BUNDLE_MAGIC, BUNDLE_VERSION, BUNDLE_HEADER_SIZE, TRAILER_SIZE, manifestProblem, type BundleManifest } from './format';
