// The replica's on-disk store: append-only checksummed segments of raw CometBFT JSON-RPC
// results, per (kind, height), plus genesis.json, meta.json and profile.json. See README.md.

export { openStore, ReplicaStore, DEFAULT_SEGMENT_SIZE, GENESIS_FILE, SEGMENTS_DIR } from './store';
export type { StoreRecord, OpenOptions, HeightRecords, SegmentInfo, OpenReport, StoreStats, ScrubProgress, ScrubReport } from './store';
export { KINDS, KIND_LIST, REQUIRED_KINDS, isRecordKind, type RecordKind } from './kinds';
export type { HeightRange } from './height-index';
export { StoreError, StoreCorruptionError, StoreLockedError, describeDamage, type DamageLocation } from './errors';
export { readMeta, metaProblem, segmentName, SEGMENT_NAME, META_FILE, type StoreMeta, type DropMark } from './meta';
export { readProfile, writeProfile, profileProblem, PROFILE_FILE, type NetworkProfile } from './profile';
export { writeFileAtomic, writeJsonAtomic, fsyncDir } from './atomic';
export { lockBeside, lockHolder, lockNameFor, STORE_LOCK } from './lock';
export { crc32c } from './crc32c';
