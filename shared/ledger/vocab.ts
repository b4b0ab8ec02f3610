// Closed vocabularies of the ledger (PROTOCOL.md §3). Each list is sorted ascending, the
// order in which sets of these values must appear in transactions.

/** Organisation kinds (§3.1). */
export const ORG_KINDS = ['clinic', 'hospital', 'lab', 'payer', 'regulator', 'research'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Member roles (§3.2). Board seats are not a role: the board is its own set (§3.8). */
export const ROLES = ['admin', 'auditor', 'billing', 'clinician', 'nurse', 'officer', 'researcher', 'technician'] as const;
export type Role = (typeof ROLES)[number];

/** FHIR resource types a record anchor may point at (§3.4). */
export const RESOURCE_TYPES = [
  'AllergyIntolerance', 'Condition', 'DiagnosticReport', 'DocumentReference', 'Encounter',
  'ImagingStudy', 'Immunization', 'MedicationRequest', 'Observation', 'Procedure',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Why a record gets a new version (§3.4). */
export const AMEND_REASONS = ['append', 'correction', 'entered_in_error', 'update'] as const;
export type AmendReason = (typeof AMEND_REASONS)[number];

/** Proxy relationships, after FHIR RelatedPerson.relationship (§3.3). */
export const PROXY_RELATIONSHIPS = ['attorney', 'caregiver', 'guardian', 'parent'] as const;
export type ProxyRelationship = (typeof PROXY_RELATIONSHIPS)[number];

/** Why a membership ended (§3.2). */
export const END_REASONS = ['key_compromised', 'left', 'retired', 'terminated'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** AuditEvent action, after FHIR AuditEvent.action / BALP subtypes (§3.6). */
export const ACCESS_ACTIONS = ['export', 'print', 'query', 'read'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export const DECISIONS = ['break_glass', 'deny', 'permit'] as const;
export type Decision = (typeof DECISIONS)[number];

export const REVIEW_OUTCOMES = ['justified', 'unjustified'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const VOTE_OPTIONS = ['abstain', 'no', 'veto', 'yes'] as const;
export type VoteOption = (typeof VOTE_OPTIONS)[number];

/** Reasons an access is denied, in the order the rules test them (§5.11). */
export const DENY_REASONS = [
  'member_inactive', 'org_inactive', 'org_mismatch', 'role_not_permitted', 'break_glass_not_permitted',
  'no_consent', 'consent_not_found', 'consent_patient_mismatch', 'consent_revoked', 'consent_outside_period',
  'grantee_mismatch', 'scope_mismatch', 'purpose_mismatch',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

/** Organisation ids: short lower-case slugs (§3.1). */
export const ORG_ID_RE = /^[a-z0-9][a-z0-9-]{1,47}$/;
/** HL7 v3 ActReason (purpose of use) codes (§3.5). */
export const PURPOSE_RE = /^[A-Z][A-Z0-9]{1,15}$/;
/** Off-chain resource pointers: opaque printable ASCII, no spaces (§3.4). */
export const URI_RE = /^[\x21-\x7e]{1,512}$/;
/** Chain ids: CometBFT allows at most 50 characters; we also exclude controls and spaces. */
export const CHAIN_ID_RE = /^[\x21-\x7e]{1,50}$/;
