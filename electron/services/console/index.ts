// The console service (see console.ts): what the console's screens do, for both hosts.
export { ConsoleService, type ConsoleOptions, type PickKind } from './console';
export { defaultDataDir, replicaDir } from './data-dir';
export { embeddedDemo, DEMO_BUNDLE, DEMO_PIN_FILE } from './demo';
export * as explorer from './explorer/queries';
export { renderReportPdf } from './pdf/report-pdf';
