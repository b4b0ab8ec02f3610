// The profile form's first step: ask every endpoint for its status and the first one that
// serves it for the genesis document, and show the genesis SHA-256 so the user can compare it
// with the one the consortium publishes and pin it. Nothing is stored here.
import { formatTimestamp } from '../../../shared/cometbft/timestamp';
import { ApiError, type GenesisProbe } from '../../../shared/api';
import { fetchGenesis, RpcClient } from '../sync';

const PROBE_TIMEOUT_MS = 8000;

export async function probeGenesis(endpoints: readonly string[]): Promise<GenesisProbe> {
  if (endpoints.length === 0) throw new ApiError('bad-request', 'give at least one endpoint');
  const clients = endpoints.map((e) => new RpcClient(e, { timeoutMs: PROBE_TIMEOUT_MS }));
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS * 2);
  const statuses = await Promise.all(
    clients.map(async (c) => {
      try {
        const st = await c.status(signal);
        return { endpoint: c.label, ok: true, message: `${st.network} at height ${st.latestHeight}${st.catchingUp ? ' (catching up)' : ''}`, latestHeight: st.latestHeight };
      } catch (e) {
        return { endpoint: c.label, ok: false, message: (e as Error).message.slice(0, 500), latestHeight: null };
      }
    }),
  );
  const live = clients.filter((_, i) => statuses[i]!.ok);
  const { genesis, failures } = await fetchGenesis(live.length ? live : clients, signal).catch((e: Error) => ({ genesis: undefined, failures: [{ endpoint: '', error: e }] }));
  if (!genesis) {
    const why = failures.map((f) => `${f.endpoint}: ${f.error.message}`).join('; ') || statuses.map((s) => `${s.endpoint}: ${s.message}`).join('; ');
    throw new ApiError('unavailable', `no endpoint served a genesis document (${why.slice(0, 1500)})`);
  }
  for (const f of failures) {
    const st = statuses.find((s) => s.endpoint === f.endpoint);
    if (st) Object.assign(st, { ok: false, message: `genesis: ${f.error.message}`.slice(0, 500) });
  }
  const d = genesis.doc;
  return {
    chainId: d.chainId,
    sha256: genesis.sha256,
    genesisTime: formatTimestamp(d.genesisTime),
    initialHeight: Number(d.initialHeight === 0n ? 1n : d.initialHeight),
    validators: d.validators.length,
    bytes: genesis.bytes.length,
    from: genesis.from,
    via: genesis.via,
    endpoints: statuses,
  };
}
