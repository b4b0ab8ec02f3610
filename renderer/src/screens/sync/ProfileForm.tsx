// A new network profile: the endpoints, the genesis fetched from them with its SHA-256 shown
// for the user to compare with the one the consortium publishes, and only then pinned.
import { useId, useState } from 'react';
import type { GenesisProbe } from '../../../../shared/api';
import { useConsole } from '../../api/context';
import { useAction } from '../../api/useAction';
import { fmtTime } from '../../format';
import { ErrorLine } from '../../ui/ErrorLine';
import { Facts } from '../../ui/Facts';
import { Hash } from '../../ui/Hash';
import { Status } from '../../ui/Status';

function parseEndpoints(text: string): { ok: string[]; bad: string[] } {
  const items = text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  const ok: string[] = [];
  const bad: string[] = [];
  for (const i of items) (/^https?:\/\/[^\s]+$/.test(i) && i.length <= 300 ? ok : bad).push(i);
  return { ok: [...new Set(ok)], bad };
}

export function ProfileForm({ onCreated, onCancel }: { onCreated: () => void; onCancel: () => void }) {
  const { transport } = useConsole();
  const ids = { name: useId(), endpoints: useId(), compared: useId() };
  const [name, setName] = useState('');
  const [endpointText, setEndpointText] = useState('');
  const [probe, setProbe] = useState<GenesisProbe | null>(null);
  const [compared, setCompared] = useState(false);
  const endpoints = parseEndpoints(endpointText);
  const fetchGenesis = useAction(async () => {
    setProbe(null);
    setCompared(false);
    const p = await transport!.call('profile.probe', { endpoints: endpoints.ok });
    setProbe(p);
    if (!name.trim()) setName(p.chainId);
  });
  const create = useAction(async (p: GenesisProbe) => {
    await transport!.call('profile.create', { name: name.trim() || p.chainId, chainId: p.chainId, endpoints: endpoints.ok, genesisSha256: p.sha256 });
    onCreated();
  });

  return (
    <section className="panel" aria-labelledby="profile-title" data-testid="profile-form">
      <h2 id="profile-title" className="panel-title">New network profile</h2>
      <p className="muted">
        Custos trusts nothing but the genesis document you pin. Give the RPC endpoints of several consortium members; Custos fetches the genesis and shows its SHA-256 so you can compare it with the hash the consortium publishes.
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (endpoints.ok.length && !endpoints.bad.length) void fetchGenesis.run();
        }}
      >
        <label htmlFor={ids.endpoints}>RPC endpoints (one per line)</label>
        <textarea
          id={ids.endpoints}
          className="input mono"
          rows={4}
          spellCheck={false}
          placeholder={'http://node-a.example:26657\nhttp://node-b.example:26657'}
          value={endpointText}
          onChange={(e) => {
            setEndpointText(e.target.value);
            setProbe(null);
          }}
          data-testid="profile-endpoints"
        />
        {endpoints.bad.length ? <p className="field-error">Not an http(s) URL: {endpoints.bad.join(', ')}</p> : null}
        <div className="form-actions">
          <button type="submit" className="btn is-primary" disabled={!endpoints.ok.length || endpoints.bad.length > 0 || fetchGenesis.busy} data-testid="profile-fetch">
            {fetchGenesis.busy ? 'Fetching the genesis…' : 'Fetch genesis'}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <ErrorLine error={fetchGenesis.error} testId="profile-error" />

      {probe ? (
        <div className="probe" data-testid="genesis-probe">
          <h3 className="sub-title">Genesis found</h3>
          <Facts
            items={[
              ['Chain id', <span className="mono">{probe.chainId}</span>],
              ['Genesis time', fmtTime(probe.genesisTime)],
              ['Initial height', String(probe.initialHeight)],
              ['Genesis validators', String(probe.validators)],
              ['Served by', `${probe.from} (${probe.via})`],
            ]}
          />
          <div className="pin-box">
            <div className="pin-label">Genesis SHA-256: compare it with the published hash before you pin it</div>
            <div className="pin-hash" data-testid="genesis-sha256">
              <Hash value={probe.sha256} full label="genesis SHA-256" />
            </div>
          </div>
          <table className="table is-compact" aria-label="Endpoints">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>Status</th>
                <th>Answer</th>
              </tr>
            </thead>
            <tbody>
              {probe.endpoints.map((e) => (
                <tr key={e.endpoint}>
                  <td className="mono">{e.endpoint}</td>
                  <td>{e.ok ? <Status tone="ok">Reachable</Status> : <Status tone="fail">Failed</Status>}</td>
                  <td className="muted">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (compared) void create.run(probe);
            }}
          >
            <label htmlFor={ids.name}>Profile name</label>
            <input id={ids.name} className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} data-testid="profile-name" />
            <label className="check-row" htmlFor={ids.compared}>
              <input id={ids.compared} type="checkbox" checked={compared} onChange={(e) => setCompared(e.target.checked)} data-testid="profile-compared" />
              I compared this SHA-256 with the one my consortium published, and they are the same.
            </label>
            <div className="form-actions">
              <button type="submit" className="btn is-primary" disabled={!compared || create.busy} data-testid="profile-pin">
                {create.busy ? 'Creating…' : 'Pin this genesis and create the profile'}
              </button>
            </div>
          </form>
          <ErrorLine error={create.error} />
        </div>
      ) : null}
    </section>
  );
}
