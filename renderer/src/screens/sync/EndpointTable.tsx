// Per-endpoint health during and after a sync: state in words, latency, how far it is, what it
// served, and why it was set aside (height, check, expected, found, with a link to the block).
import type { EndpointView } from '../../../../shared/api';
import { fmtInt } from '../../format';
import { hashOf } from '../../route';
import { Status, type Tone } from '../../ui/Status';

const STATE: Record<EndpointView['state'], [Tone, string]> = {
  ok: ['ok', 'Healthy'],
  degraded: ['warn', 'Degraded'],
  'set-aside': ['fail', 'Set aside'],
  unknown: ['unverified', 'Unknown'],
};

const KIND_WORD: Record<string, string> = {
  'bad-data': 'it served data that failed this check',
  fork: 'it served a header the known validators did not certify',
  'wrong-chain': 'it serves another chain',
};

export function EndpointTable({ endpoints }: { endpoints: EndpointView[] }) {
  return (
    <table className="table" aria-label="Endpoint health" data-testid="endpoints">
      <thead>
        <tr>
          <th>Endpoint</th>
          <th>State</th>
          <th className="num-col">Latency</th>
          <th className="num-col">Tip</th>
          <th className="num-col">Blocks served</th>
          <th className="num-col">Failures</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((e) => {
          const [tone, word] = STATE[e.state];
          return [
            <tr key={e.endpoint} data-testid="endpoint-row" data-state={e.state}>
              <td className="mono">{e.endpoint}</td>
              <td>
                <Status tone={tone}>{word}</Status>
              </td>
              <td className="num-col">{e.latencyMs === null ? '–' : `${Math.round(e.latencyMs)} ms`}</td>
              <td className="num-col">{e.latestHeight === null ? '–' : fmtInt(e.latestHeight)}</td>
              <td className="num-col">{fmtInt(e.blocksServed)}</td>
              <td className="num-col">{fmtInt(e.failures)}</td>
            </tr>,
            e.problem ? (
              <tr key={`${e.endpoint}-problem`} className="problem-row" data-testid="endpoint-problem">
                <td colSpan={6}>
                  <div className="problem">
                    <span className="problem-what">
                      {e.problem.height !== undefined ? (
                        <>
                          At height{' '}
                          <a href={hashOf('explorer', 'block', e.problem.height)} data-testid="problem-height">
                            {e.problem.height}
                          </a>
                          {': '}
                        </>
                      ) : null}
                      {e.problem.check ? <code>{e.problem.check}</code> : <span>{e.problem.kind}</span>}
                      {e.problem.expected === undefined && e.problem.found === undefined ? (
                        <>
                          {' · '}
                          <span>{e.problem.message}</span>
                        </>
                      ) : (
                        <span className="muted">{` · ${KIND_WORD[e.problem.kind] ?? e.problem.kind}`}</span>
                      )}
                    </span>
                    {e.problem.expected !== undefined || e.problem.found !== undefined ? (
                      <dl className="ef">
                        <dt>Expected</dt>
                        <dd className="mono">{e.problem.expected ?? '–'}</dd>
                        <dt>Found</dt>
                        <dd className="mono">{e.problem.found ?? '–'}</dd>
                      </dl>
                    ) : null}
                  </div>
                </td>
              </tr>
            ) : null,
          ];
        })}
      </tbody>
    </table>
  );
}
