// Synthetic FHIR R4 resources for the off-chain store: Observation, DiagnosticReport,
// ImagingStudy and MedicationRequest, shaped after the base resources (hl7.org/fhir/R4) with
// real code systems (LOINC, UCUM, SNOMED CT, RxNorm, DICOM, HL7 v2/v3 tables). Subjects and
// people are pseudonymous references only: `Patient/<patient public key>`,
// `Practitioner/<member public key>`, `Organization/<org id>`; no names, dates of birth,
// addresses or other direct identifiers, anywhere. Every value comes from the caller's Rng, so
// a resource (and its SHA-256) is a pure function of the workload seed.
import type { Rng } from './rng';

export type FhirResourceType = 'Observation' | 'DiagnosticReport' | 'ImagingStudy' | 'MedicationRequest';
export type FhirResource = { resourceType: FhirResourceType; id: string; meta: { versionId: string; lastUpdated: string } } & Record<string, unknown>;

export interface FhirContext {
  rng: Rng;
  id: string;
  patient: string;
  /** Member public key of the author (performer, requester, interpreter). */
  author: string;
  /** The custodian organisation id. */
  org: string;
  /** ISO 8601 instant of the clinical event. */
  when: string;
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const DICOM_DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';

const patientRef = (pk: string) => ({ reference: `Patient/${pk}`, type: 'Patient' });
const practitionerRef = (pk: string) => ({ reference: `Practitioner/${pk}`, type: 'Practitioner' });
const orgRef = (org: string) => ({ reference: `Organization/${org}`, type: 'Organization' });
const identifier = (org: string, id: string) => [{ system: `urn:custos:${org}:fhir-id`, value: id }];
const meta = (when: string, version = 1) => ({ versionId: String(version), lastUpdated: when });

interface Analyte { loinc: string; display: string; unit: string; ucum: string; lo: number; hi: number; refLo: number; refHi: number; digits: number }

const VITALS: Analyte[] = [
  { loinc: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', lo: 48, hi: 128, refLo: 60, refHi: 100, digits: 0 },
  { loinc: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min', lo: 10, hi: 28, refLo: 12, refHi: 20, digits: 0 },
  { loinc: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel', lo: 35.8, hi: 39.6, refLo: 36.1, refHi: 37.5, digits: 1 },
  { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', lo: 86, hi: 100, refLo: 94, refHi: 100, digits: 0 },
  { loinc: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', lo: 42, hi: 128, refLo: 0, refHi: 1000, digits: 1 },
];

const LABS: Record<string, Analyte> = {
  glucose: { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', lo: 62, hi: 260, refLo: 70, refHi: 140, digits: 0 },
  hgb: { loinc: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', ucum: 'g/dL', lo: 8.5, hi: 17.5, refLo: 12, refHi: 17.5, digits: 1 },
  wbc: { loinc: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', unit: '10*3/uL', ucum: '10*3/uL', lo: 2.8, hi: 16, refLo: 4, refHi: 11, digits: 1 },
  plt: { loinc: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', unit: '10*3/uL', ucum: '10*3/uL', lo: 110, hi: 480, refLo: 150, refHi: 400, digits: 0 },
  creat: { loinc: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', lo: 0.5, hi: 2.8, refLo: 0.6, refHi: 1.3, digits: 2 },
  k: { loinc: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', lo: 3.1, hi: 5.9, refLo: 3.5, refHi: 5.1, digits: 1 },
  na: { loinc: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', lo: 128, hi: 149, refLo: 135, refHi: 145, digits: 0 },
  chol: { loinc: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', lo: 120, hi: 310, refLo: 0, refHi: 200, digits: 0 },
  hdl: { loinc: '2085-9', display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', lo: 25, hi: 90, refLo: 40, refHi: 200, digits: 0 },
  trig: { loinc: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', lo: 50, hi: 420, refLo: 0, refHi: 150, digits: 0 },
  a1c: { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', ucum: '%', lo: 4.6, hi: 11.2, refLo: 4, refHi: 5.7, digits: 1 },
};

const PANELS: { loinc: string; display: string; analytes: (keyof typeof LABS)[] }[] = [
  { loinc: '58410-2', display: 'CBC panel - Blood by Automated count', analytes: ['hgb', 'wbc', 'plt'] },
  { loinc: '24321-2', display: 'Basic metabolic 2000 panel - Serum or Plasma', analytes: ['glucose', 'na', 'k', 'creat'] },
  { loinc: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma', analytes: ['chol', 'hdl', 'trig'] },
  { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', analytes: ['a1c'] },
];

const IMAGING: { loinc: string; display: string; modality: string; modalityDisplay: string; site: string; siteDisplay: string; series: [number, number]; instances: [number, number] }[] = [
  { loinc: '36643-5', display: 'XR Chest 2 Views', modality: 'DX', modalityDisplay: 'Digital Radiography', site: '51185008', siteDisplay: 'Thoracic structure', series: [1, 2], instances: [2, 2] },
  { loinc: '24627-2', display: 'CT Chest', modality: 'CT', modalityDisplay: 'Computed Tomography', site: '51185008', siteDisplay: 'Thoracic structure', series: [2, 4], instances: [120, 420] },
  { loinc: '24725-4', display: 'CT Head', modality: 'CT', modalityDisplay: 'Computed Tomography', site: '69536005', siteDisplay: 'Head structure', series: [2, 3], instances: [80, 260] },
  { loinc: '24590-2', display: 'MR Brain', modality: 'MR', modalityDisplay: 'Magnetic Resonance', site: '12738006', siteDisplay: 'Brain structure', series: [4, 8], instances: [150, 900] },
  { loinc: '24558-9', display: 'US Abdomen', modality: 'US', modalityDisplay: 'Ultrasound', site: '818983003', siteDisplay: 'Abdomen', series: [1, 2], instances: [12, 48] },
];

const FINDINGS: Record<string, string[]> = {
  DX: ['No acute cardiopulmonary abnormality.', 'Mild cardiomegaly. No focal consolidation.', 'Right lower lobe opacity, likely atelectasis.'],
  CT: ['No acute intracranial or intrathoracic abnormality.', 'Small pulmonary nodule, follow-up CT in 12 months advised.', 'No evidence of haemorrhage or mass effect.'],
  MR: ['No acute infarct. Scattered white matter hyperintensities.', 'Normal study for age.'],
  US: ['Normal liver echotexture. No gallstones.', 'Mild hepatic steatosis.'],
};

const MEDICATIONS: { rxnorm: string; display: string; dose: string; freq: number; periodUnit: 'd'; qty: number; days: number }[] = [
  { rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet', dose: 'Take 1 tablet by mouth once daily', freq: 1, periodUnit: 'd', qty: 30, days: 30 },
  { rxnorm: '314076', display: 'lisinopril 10 MG Oral Tablet', dose: 'Take 1 tablet by mouth once daily', freq: 1, periodUnit: 'd', qty: 30, days: 30 },
  { rxnorm: '860975', display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', dose: 'Take 1 tablet by mouth once daily with the evening meal', freq: 1, periodUnit: 'd', qty: 30, days: 30 },
  { rxnorm: '198211', display: 'simvastatin 40 MG Oral Tablet', dose: 'Take 1 tablet by mouth at bedtime', freq: 1, periodUnit: 'd', qty: 30, days: 30 },
  { rxnorm: '308191', display: 'amoxicillin 500 MG Oral Capsule', dose: 'Take 1 capsule by mouth three times daily for 7 days', freq: 3, periodUnit: 'd', qty: 21, days: 7 },
  { rxnorm: '310965', display: 'ibuprofen 200 MG Oral Tablet', dose: 'Take 1 tablet by mouth every 8 hours as needed for pain', freq: 3, periodUnit: 'd', qty: 20, days: 7 },
];

function interpretation(a: Analyte, v: number) {
  const code = v < a.refLo ? 'L' : v > a.refHi ? 'H' : 'N';
  const display = code === 'L' ? 'Low' : code === 'H' ? 'High' : 'Normal';
  return [{ coding: [{ system: INTERPRETATION, code, display }] }];
}

function quantity(a: Analyte, v: number) {
  return { value: v, unit: a.unit, system: UCUM, code: a.ucum };
}

function analyteObservation(c: FhirContext, a: Analyte, category: 'vital-signs' | 'laboratory', id: string, value?: number) {
  const v = value ?? c.rng.real(a.lo, a.hi, a.digits);
  const obs: Record<string, unknown> = {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: category, display: category === 'laboratory' ? 'Laboratory' : 'Vital Signs' }] }],
    code: { coding: [{ system: LOINC, code: a.loinc, display: a.display }], text: a.display },
    subject: patientRef(c.patient),
    effectiveDateTime: c.when,
    issued: c.when,
    performer: [practitionerRef(c.author), orgRef(c.org)],
    valueQuantity: quantity(a, v),
  };
  if (a.refHi < 1000) {
    obs.interpretation = interpretation(a, v);
    obs.referenceRange = [{ low: quantity(a, a.refLo), high: quantity(a, a.refHi) }];
  }
  return obs;
}

/** A vital sign (or a blood-pressure panel) recorded at the bedside, or a single lab result. */
export function observation(c: FhirContext, kind: 'vital' | 'lab'): FhirResource {
  const base = { meta: meta(c.when), identifier: identifier(c.org, c.id) };
  if (kind === 'vital' && c.rng.chance(0.3)) {
    const sys = c.rng.int(98, 178), dia = c.rng.int(58, Math.min(112, sys - 25));
    const bp = (loinc: string, display: string, v: number) => ({
      code: { coding: [{ system: LOINC, code: loinc, display }] },
      valueQuantity: { value: v, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    });
    return {
      resourceType: 'Observation', id: c.id, ...base,
      status: 'final',
      category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
      subject: patientRef(c.patient),
      effectiveDateTime: c.when,
      performer: [practitionerRef(c.author), orgRef(c.org)],
      component: [bp('8480-6', 'Systolic blood pressure', sys), bp('8462-4', 'Diastolic blood pressure', dia)],
    } as FhirResource;
  }
  const a = kind === 'vital' ? c.rng.pick(VITALS) : LABS[c.rng.pick(Object.keys(LABS))]!;
  const o = analyteObservation(c, a, kind === 'vital' ? 'vital-signs' : 'laboratory', c.id);
  return { ...o, ...base, resourceType: 'Observation', id: c.id } as FhirResource;
}

/** A laboratory report with its results as contained Observations. */
export function diagnosticReport(c: FhirContext): FhirResource {
  const panel = c.rng.pick(PANELS);
  const contained = panel.analytes.map((k, i) => {
    const o = analyteObservation(c, LABS[k]!, 'laboratory', `r${i + 1}`);
    delete o.subject; // contained resources inherit the container's subject
    return o;
  });
  const high = contained.filter((o) => ((o.interpretation as { coding: { code: string }[] }[] | undefined)?.[0]?.coding[0]?.code ?? 'N') !== 'N');
  return {
    resourceType: 'DiagnosticReport',
    id: c.id,
    meta: meta(c.when),
    identifier: identifier(c.org, c.id),
    contained,
    status: 'final',
    category: [{ coding: [{ system: V2_0074, code: 'LAB', display: 'Laboratory' }] }],
    code: { coding: [{ system: LOINC, code: panel.loinc, display: panel.display }], text: panel.display },
    subject: patientRef(c.patient),
    effectiveDateTime: c.when,
    issued: c.when,
    performer: [orgRef(c.org)],
    resultsInterpreter: [practitionerRef(c.author)],
    result: contained.map((o) => ({ reference: `#${o.id as string}` })),
    conclusion: high.length === 0 ? 'All results within reference intervals.' : `${high.length} result(s) outside reference intervals; clinical correlation advised.`,
  };
}

/** A DICOM study: study and series instance UIDs, modality, procedure, findings. */
export function imagingStudy(c: FhirContext): FhirResource {
  const p = c.rng.pick(IMAGING);
  const nSeries = c.rng.int(p.series[0], p.series[1]);
  const series = Array.from({ length: nSeries }, (_, i) => ({
    uid: c.rng.dicomUid(),
    number: i + 1,
    modality: { system: DICOM_DCM, code: p.modality, display: p.modalityDisplay },
    numberOfInstances: c.rng.int(p.instances[0], p.instances[1]),
    bodySite: { system: SNOMED, code: p.site, display: p.siteDisplay },
    started: c.when,
  }));
  return {
    resourceType: 'ImagingStudy',
    id: c.id,
    meta: meta(c.when),
    identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${c.rng.dicomUid()}` }, ...identifier(c.org, c.id)],
    status: 'available',
    modality: [{ system: DICOM_DCM, code: p.modality, display: p.modalityDisplay }],
    subject: patientRef(c.patient),
    started: c.when,
    referrer: practitionerRef(c.author),
    numberOfSeries: nSeries,
    numberOfInstances: series.reduce((s, x) => s + x.numberOfInstances, 0),
    procedureCode: [{ coding: [{ system: LOINC, code: p.loinc, display: p.display }], text: p.display }],
    location: orgRef(c.org),
    note: [{ text: c.rng.pick(FINDINGS[p.modality] ?? ['No acute abnormality.']) }],
    series,
  };
}

/** An outpatient or discharge prescription. */
export function medicationRequest(c: FhirContext): FhirResource {
  const m = c.rng.pick(MEDICATIONS);
  const refills = c.rng.int(0, 5);
  const form = m.display.includes('Capsule') ? { unit: 'capsule', code: '{capsule}' } : { unit: 'tablet', code: '{tbl}' };
  return {
    resourceType: 'MedicationRequest',
    id: c.id,
    meta: meta(c.when),
    identifier: identifier(c.org, c.id),
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: m.rxnorm, display: m.display }], text: m.display },
    subject: patientRef(c.patient),
    authoredOn: c.when,
    requester: practitionerRef(c.author),
    dosageInstruction: [{
      sequence: 1,
      text: m.dose,
      timing: { repeat: { frequency: m.freq, period: 1, periodUnit: m.periodUnit } },
      route: { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] },
      doseAndRate: [{ doseQuantity: { value: 1, unit: form.unit, system: UCUM, code: form.code } }],
    }],
    dispenseRequest: {
      numberOfRepeatsAllowed: refills,
      quantity: { value: m.qty, unit: form.unit, system: UCUM, code: form.code },
      expectedSupplyDuration: { value: m.days, unit: 'days', system: UCUM, code: 'd' },
    },
  };
}

export type AmendKind = 'correction' | 'update' | 'append';

/** The amendment reason (PROTOCOL.md record.amend) a change to this resource type records. */
export const AMEND_REASON: Record<FhirResourceType, AmendKind> = {
  Observation: 'correction',
  DiagnosticReport: 'append',
  ImagingStudy: 'append',
  MedicationRequest: 'update',
};

/**
 * The next version of a resource, as its custodian would write it: meta.versionId bumped and
 * the change AMEND_REASON names (a corrected value, an addendum, a changed dose).
 */
export function amend(prev: FhirResource, rng: Rng, when: string): FhirResource {
  const next = structuredClone(prev) as FhirResource & Record<string, unknown>;
  next.meta = { versionId: String(Number(prev.meta.versionId) + 1), lastUpdated: when };
  switch (prev.resourceType) {
    case 'Observation': {
      next.status = 'amended';
      const vq = next.valueQuantity as { value: number } | undefined;
      if (vq) vq.value = Math.round(vq.value * rng.real(0.9, 1.1, 3) * 100) / 100;
      next.note = [{ time: when, text: 'Value corrected after device recalibration.' }];
      break;
    }
    case 'DiagnosticReport':
      next.status = 'amended';
      next.conclusion = `${String(prev.conclusion ?? '')} Addendum: results reviewed; repeat testing in 3 months.`;
      break;
    case 'MedicationRequest': {
      const d = (next.dosageInstruction as { text: string }[])[0]!;
      d.text = `${d.text} (dose reviewed ${when.slice(0, 10)})`;
      (next.dispenseRequest as { numberOfRepeatsAllowed: number }).numberOfRepeatsAllowed = rng.int(0, 3);
      break;
    }
    case 'ImagingStudy':
      next.note = [...((prev.note as { text: string }[] | undefined) ?? []), { time: when, text: 'Addendum: compared with prior study; findings stable.' }];
      break;
  }
  return next;
}

/** Serialises a resource exactly as it is stored (and hashed): 2-space JSON and a newline. */
export function serialise(r: FhirResource): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(r, null, 2)}\n`);
}
