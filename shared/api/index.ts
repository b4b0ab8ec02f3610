// shared/api: the typed contract between the renderer and the Node side (pure TypeScript).
export * from './contract';
export * from './result';
export * from './dispatch';
export * from './bridge';
export * from './wire';
export * from './csp';
export * as schema from './schema';
export type { Infer, Schema } from './schema';
export * from './views/console';
export * from './views/report';
export * from './views/explorer';
export * from './check-groups';
