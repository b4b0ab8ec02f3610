// The handler table behind the API contract, shared by both hosts. A host supplies its
// context (what kind of host it is, where the app's metadata comes from); the handlers do
// the rest. Later issues add services (sync, verify, index, ...) to HostContext.
import type { Handlers, HostKind } from '../../shared/api';

export interface HostContext {
  host: HostKind;
  name: string;
  version: string;
  platform: string;
  now(): number;
}

export function createHandlers(ctx: HostContext): Handlers {
  return {
    'app.info': () => ({ name: ctx.name, version: ctx.version, host: ctx.host, platform: ctx.platform }),
    'app.ping': ({ echo }) => ({ echo, at: Math.floor(ctx.now()) }),
  };
}
