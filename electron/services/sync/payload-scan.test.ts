// scanBlockResults against JSON.parse + decodeBlockResults: a payload is either left to the
// parser (undefined) or decodes, or fails to, exactly as the whole payload does, but for the
// events and data it cuts.
import { describe, expect, it } from 'vitest';
import { decodeBlockResults } from '../../../shared/cometbft/decode';
import type { BlockResults } from '../../../shared/cometbft/types';
import { scanBlockResults } from './payload-scan';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function outcome(fn: () => BlockResults): unknown {
  try {
    const r = fn();
    // what the scan leaves out
    return { ok: { ...r, txsResults: r.txsResults.map((t) => ({ ...t, data: undefined, events: Array.isArray(t.events) })) } };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** The scan's verdict on `text` and the whole parse's, side by side (undefined: the scan gave up). */
function both(text: string): { scanned: unknown; whole: unknown } | undefined {
  const s = scanBlockResults(enc(text));
  if (s === undefined) return undefined;
  return { scanned: outcome(() => decodeBlockResults(s.reduced)), whole: outcome(() => decodeBlockResults(JSON.parse(text))) };
}

const event = '{"type":"custos_tx","attributes":[{"key":"id","value":"64EF6C2B","index":true},{"key":"kind","value":"access.record","index":true}]}';
const result = (data: string, events = `[${event},${event}]`): string =>
  `{"code":0,"data":${data},"log":"","info":"","gas_wanted":"0","gas_used":"0","events":${events},"codespace":""}`;
const payload = (results: string[], tail = '"finalize_block_events":null,"validator_updates":null,"consensus_param_updates":null,"app_hash":"u9XMocBaavFX6J44hy6S8wOoUPOL+8fTLJKhwBUEVSc="'): string =>
  `{"height":"1000","txs_results":[${results.join(',')}],${tail}}`;

describe('scanBlockResults', () => {
  it('cuts events and data out and decodes the rest as the whole payload decodes', () => {
    const text = payload([result('"eyJhIjoxfQ=="'), result('"QUJD"'), result('null', '[]'), result('"QR=="')]);
    const s = scanBlockResults(enc(text))!;
    expect(s).toBeDefined();
    const r = s.reduced as { txs_results: { events: unknown[]; data: unknown }[] };
    expect(r.txs_results.map((t) => [t.data, t.events.length])).toEqual([[null, 0], [null, 0], [null, 0], [null, 0]]);
    const v = both(text)!;
    expect(v.scanned).toEqual(v.whole);
    // past the reused 1 MiB copy, and back under it
    const large = payload(Array.from({ length: 8000 }, (_, i) => result(i % 2 ? '"QUJD"' : '"Q"')));
    expect(large.length).toBeGreaterThan(1024 * 1024);
    for (const t of [large, text]) {
      const w = both(t)!;
      expect(w.scanned).toEqual(w.whole);
    }
  });

  it('keeps what the decoder must judge: the same error, or the same result', () => {
    const cases = [
      payload([result('"QQ"')]), // not a multiple of 4
      payload([result('"QQ=A"')]),
      payload([result('"a-_b"')]), // URL-safe
      payload([result('""')]),
      payload([result('7')]),
      payload([result('"QUJD"', '{}')]), // events not an array
      payload([result('"QUJD"', '"x"')]),
      payload([result('"QUJD"'), '5']),
      payload([result('"QUJD"').replace('"code":0', '"code":-1')]),
      payload([result('"QUJD"').replace('"gas_used":"0"', '"gas_used":"x"')]),
      payload([result('"QUJD"')]).replace('"height":"1000"', '"height":1000'),
      payload([result('"QUJD"').replace('"events"', '"ev\\u0065nts"')]), // an escaped key: the scan gives up
      payload([result('"QUJD"').replace('"data":"QUJD"', '"data":"QUJD","data":"Q"')]), // repeated: the last wins in both
      payload([result('"Q"').replace('"data":"Q"', '"data":"Q","data":"QUJD"')]),
      payload([result('"QUJD"').replace('"events":[', '"events":["a",[],{"x":[1,2.5e3,null,true,false]},')]),
      payload([]),
      payload([result('"QUJD"')], '"app_hash":null,"txs_results":null'),
      ' \n' + payload([result('"QUJD"')]) + '\r\n',
      '[]',
      'null',
    ];
    for (const text of cases) {
      const v = both(text);
      if (v) expect([text, v.scanned]).toEqual([text, v.whole]);
    }
  });

  it('gives up on whatever JSON.parse refuses, and on non-ASCII bytes', () => {
    let seed = 99;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const base = payload([result('"eyJhIjoxfQ=="'), result('null', `[${event}]`)]);
    const pieces = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '0', '-', 'e', 'n', '=', 'A', '\u0001'];
    for (let t = 0; t < 5000; t++) {
      let s = base;
      for (let m = 1 + rnd(2); m > 0; m--) {
        const at = rnd(s.length + 1);
        const p = pieces[rnd(pieces.length)]!;
        s = rnd(2) === 0 ? s.slice(0, at) + p + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
      }
      let parses = true;
      try {
        JSON.parse(s);
      } catch {
        parses = false;
      }
      const v = both(s);
      if (!parses) expect([s, v]).toEqual([s, undefined]);
      else if (v) expect([s, v.scanned]).toEqual([s, v.whole]);
    }
    expect(scanBlockResults(enc(payload([result('"QUJD"')]).replace('"log":""', '"log":"é"')))).toBeUndefined();
  });
});
