// The handler table behind the API contract, shared by both hosts. A host supplies its
// context (what kind of host it is, where the app's metadata comes from) and, once it runs,
// the console service; the handlers do the rest. Without a console service (unit tests of
// the hosts' plumbing) the console and explorer methods answer 'unavailable'.
import { ApiError, type Handlers, type HostKind } from '../../shared/api';
import { explorer, type ConsoleService } from '../services/console';

export interface HostContext {
  host: HostKind;
  name: string;
  version: string;
  platform: string;
  now(): number;
  console?: ConsoleService;
}

export function createHandlers(ctx: HostContext): Handlers {
  const svc = (): ConsoleService => {
    if (!ctx.console) throw new ApiError('unavailable', 'the console service is not running in this host');
    return ctx.console;
  };
  const ix = () => svc().index();
  return {
    'app.info': () => ({ name: ctx.name, version: ctx.version, host: ctx.host, platform: ctx.platform }),
    'app.ping': ({ echo }) => ({ echo, at: Math.floor(ctx.now()) }),

    'console.status': () => svc().status(),
    'profile.probe': ({ endpoints }) => svc().probe(endpoints),
    'profile.create': (p) => svc().createProfile(p),
    'replica.open': ({ id }) => svc().openReplica(id),
    'sync.start': () => svc().startSync(),
    'sync.pause': () => svc().pauseSync(),
    'verify.start': ({ full }) => svc().startVerify(full),
    'verify.cancel': () => svc().cancelVerify(),
    'verify.report': () => ({ report: svc().report() }),
    'verify.participation': async ({ maxColumns }) => ({ participation: await svc().participation(maxColumns) }),
    'report.export': ({ format, path }) => svc().exportReport(format, path),
    'bundle.export': ({ path }) => svc().exportReplica(path),
    'bundle.import': ({ path, genesisSha256 }) => svc().importReplica(path, genesisSha256),

    'explorer.counts': () => {
      const i = ix();
      return { counts: i ? explorer.explorerCounts(i) : null };
    },
    'explorer.search': ({ q }) => {
      const i = ix();
      return { hits: i ? explorer.search(i, q) : [] };
    },
    'explorer.blocks': ({ before, limit }) => {
      const i = ix();
      return { blocks: i ? explorer.blocks(i, before, limit) : [] };
    },
    'explorer.block': async ({ height }) => {
      const i = ix();
      return { block: i ? await explorer.block(i, height, (h) => svc().rawBlock(h)) : null };
    },
    'explorer.tx': ({ id }) => {
      const i = ix();
      return { tx: i ? explorer.tx(i, id) : null };
    },
    'explorer.party': ({ key, org }) => {
      const i = ix();
      if (!i) return { party: null };
      return { party: key !== null ? explorer.keyParty(i, key) : org !== null ? explorer.orgParty(i, org) : null };
    },
  };
}
