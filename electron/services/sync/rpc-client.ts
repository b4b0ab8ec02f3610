// A CometBFT 0.38 JSON-RPC client for the sync (rpc/core/routes.go): every request has a
// deadline and a body-size cap, answers are checked to be JSON-RPC envelopes that answer the
// request, and each result is kept as the exact bytes the node served (json-bytes.ts).
//
// Batches: CometBFT takes a JSON array of requests in one POST (rpc/jsonrpc/server/
// http_json_handler.go), at most rpc.max_request_batch_size (default 10) of them; a batch of
// one is answered with a bare object. A node (or a proxy in front of it) that refuses
// batches is remembered and served with single GETs (URI form, http_uri_handler.go).

import { isAscii } from 'node:buffer';
import { mapLimit } from './concurrency';
import { fetchBounded, type BoundedResponse } from './http-body';
import { arrayElements, compactBatchSpans, compactJson, elementStarts, memberSpans, skipValue, type Span } from './json-bytes';
import { RpcClientError, redactUrl, type JsonRpcErrorBody } from './rpc-errors';

export interface RpcClientOptions {
  /** Per request, headers and body together (default 15 s). */
  timeoutMs?: number;
  /** Cap on one response body; the read is aborted past it (default 64 MiB). */
  maxResponseBytes?: number;
  /** Cap on the whole genesis document, across genesis_chunked chunks (default 256 MiB). */
  maxGenesisBytes?: number;
  /** Requests per batch POST (default 10, CometBFT's rpc.max_request_batch_size). */
  maxBatch?: number;
  /** false: never send batches (default true). */
  batch?: boolean;
  /** Cancels every request of this client. */
  signal?: AbortSignal;
}

export type RpcParams = Record<string, number | string | boolean>;

export interface RpcCall {
  method: string;
  params?: RpcParams;
  /**
   * For a large result read in part (payload-scan.ts): validates its bytes as JSON.parse would
   * and gives what the caller reads instead of the parsed value (`scanned`), or undefined
   * (then it is parsed as any other). Used on batch answers laid out as CometBFT writes them.
   */
  scan?: (raw: Uint8Array) => unknown;
}

/** One JSON-RPC result: parsed, and the exact bytes of the `result` member as served. */
export interface RpcResult {
  value: unknown;
  raw: Uint8Array;
  /** What the call's `scan` gave, when it was used (`value` is then parsed only if read). */
  scanned?: unknown;
}

export type BatchOutcome = RpcResult | RpcClientError;

/**
 * Wraps each HTTP exchange of a batch (e.g. a cap on requests in flight shared with other
 * work). It covers the request and the reading of the body only: parsing runs after the slot
 * is given back, so the next request goes out while this answer is parsed.
 */
export type ExchangeLimit = <R>(exchange: () => Promise<R>) => Promise<R>;
const unlimited: ExchangeLimit = (exchange) => exchange();

export interface NodeStatus {
  network: string;
  latestHeight: number;
  earliestHeight: number;
  catchingUp: boolean;
}

export interface GenesisResult {
  /** The canonical genesis bytes (see genesis.ts): compact JSON as CometBFT marshals GenesisDoc. */
  bytes: Uint8Array;
  value: unknown;
  /** How it was fetched. */
  via: 'genesis' | 'genesis_chunked';
}

/** /validators pages: per_page is capped at 100 (rpc/core/env.go maxPerPage). */
export const VALIDATORS_PER_PAGE = 100;
const MAX_VALIDATOR_PAGES = 1000;
const MAX_GENESIS_CHUNKS = 4096;
/** Single GETs standing in for one batch run this many at a time. */
const SINGLES_IN_PARALLEL = 4;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export class RpcClient {
  /** The endpoint as given (may carry credentials: never shown). */
  readonly url: string;
  /** The endpoint as it may be shown and logged. */
  readonly label: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxGenesisBytes: number;
  maxBatch: number;
  /** Whether the node answers batch POSTs; undefined until tried. */
  batchSupport: boolean | undefined;
  private readonly base: URL;
  private readonly postUrl: string;
  private readonly signal: AbortSignal | undefined;
  private nextId = 1;

  constructor(url: string, options: RpcClientOptions = {}) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`not an http(s) endpoint: ${redactUrl(url)}`);
    u.hash = '';
    this.url = u.toString();
    this.base = u;
    this.label = redactUrl(url);
    // JSON-RPC POSTs go to the path given (CometBFT serves them on "/").
    this.postUrl = u.toString();
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.maxGenesisBytes = options.maxGenesisBytes ?? 256 * 1024 * 1024;
    this.maxBatch = Math.max(1, options.maxBatch ?? 10);
    this.batchSupport = options.batch === false ? false : undefined;
    this.signal = options.signal;
  }

  // ---- single calls (URI GET) ----

  /** One call as `GET /method?param=value`. */
  async call(method: string, params: RpcParams = {}, signal?: AbortSignal, limit: ExchangeLimit = unlimited): Promise<RpcResult> {
    const u = new URL(this.base);
    u.pathname = `${u.pathname.replace(/\/$/, '')}/${method}`;
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
    const res = await limit(() => fetchBounded({
      url: u.toString(), method: 'GET', endpoint: this.label, what: method,
      timeoutMs: this.timeoutMs, maxBytes: this.maxResponseBytes, signal: this.anySignal(signal),
    }));
    const parsed = this.parse(res.body, res.status, method);
    return this.unwrap(parsed, res.body, 0, method, undefined);
  }

  // ---- batches (POST array), falling back to singles ----

  /** Several calls; one outcome per call, in order. Transport failures of the whole exchange throw. */
  async batch(calls: readonly RpcCall[], signal?: AbortSignal, limit: ExchangeLimit = unlimited): Promise<BatchOutcome[]> {
    if (calls.length === 0) return [];
    if (calls.length === 1 || this.batchSupport === false) return this.singles(calls, signal, limit);
    const out: BatchOutcome[] = [];
    for (let i = 0; i < calls.length; i += this.maxBatch) out.push(...(await this.postBatch(calls.slice(i, i + this.maxBatch), signal, limit)));
    return out;
  }

  private async singles(calls: readonly RpcCall[], signal: AbortSignal | undefined, limit: ExchangeLimit): Promise<BatchOutcome[]> {
    return mapLimit(calls, SINGLES_IN_PARALLEL, (c) => this.call(c.method, c.params, signal, limit).catch((e: unknown) => {
      if (e instanceof RpcClientError && e.kind === 'rpc') return e;
      throw e;
    }));
  }

  private async postBatch(calls: readonly RpcCall[], signal: AbortSignal | undefined, limit: ExchangeLimit): Promise<BatchOutcome[]> {
    if (calls.length === 1 || this.batchSupport === false) return this.singles(calls, signal, limit);
    const what = `batch(${[...new Set(calls.map((c) => c.method))].join(',')} ×${calls.length})`;
    const ids = calls.map(() => this.nextId++);
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: stringParams(c.params) })));
    const res = await limit(() => fetchBounded({
      url: this.postUrl, method: 'POST', body, endpoint: this.label, what,
      timeoutMs: this.timeoutMs, maxBytes: this.maxResponseBytes, signal: this.anySignal(signal),
    }));
    if (res.status >= 200 && res.status < 300) {
      const spans = compactBatchSpans(res.body, ids);
      if (spans) {
        this.batchSupport = true;
        return new CompactBatch(res.body, spans, calls, () => this.parseBatch(res, calls, ids, what)).results();
      }
    }
    return this.generalBatch(res, calls, ids, what, signal, limit);
  }

  /** Any other answer: parsed whole, then each envelope checked and its result's bytes found. */
  private async generalBatch(res: BoundedResponse, calls: readonly RpcCall[], ids: readonly number[], what: string, signal: AbortSignal | undefined, limit: ExchangeLimit): Promise<BatchOutcome[]> {
    let parsed: unknown;
    try {
      parsed = this.parse(res.body, res.status, what);
    } catch (e) {
      // A first batch answered with an HTTP error and no JSON: a proxy that only forwards GETs.
      if (this.batchSupport === undefined && e instanceof RpcClientError && e.kind === 'http' && res.status >= 400 && res.status < 500) {
        this.batchSupport = false;
        return this.singles(calls, signal, limit);
      }
      throw e;
    }
    if (!Array.isArray(parsed)) {
      const err = isObject(parsed) ? parsed['error'] : undefined;
      if (isObject(err)) {
        // http_server.go PreChecksHandler: "batch request exceeds maximum (N) allowed number of requests".
        const m = /exceeds maximum \((\d+)\)/.exec(String(err['data'] ?? err['message'] ?? ''));
        if (m && Number(m[1]) >= 1 && Number(m[1]) < calls.length) {
          this.maxBatch = Number(m[1]);
          return this.batch(calls, signal, limit);
        }
        if (this.batchSupport !== true) {
          this.batchSupport = false;
          return this.singles(calls, signal, limit);
        }
      }
      throw new RpcClientError('malformed', this.label, what, 'a batch was answered with something other than an array');
    }
    this.batchSupport = true;
    return this.outcomes(parsed, res.body, calls, ids, what);
  }

  /** The whole body parsed: one outcome per call, or the error for the whole batch (thrown). */
  private parseBatch(res: BoundedResponse, calls: readonly RpcCall[], ids: readonly number[], what: string): BatchOutcome[] {
    const parsed = this.parse(res.body, res.status, what);
    if (!Array.isArray(parsed)) throw new RpcClientError('malformed', this.label, what, 'a batch was answered with something other than an array');
    return this.outcomes(parsed, res.body, calls, ids, what);
  }

  private outcomes(parsed: unknown[], body: Uint8Array, calls: readonly RpcCall[], ids: readonly number[], what: string): BatchOutcome[] {
    const elements = arrayElements(body, 0);
    const byId = new Map<unknown, number>();
    parsed.forEach((el, i) => {
      if (isObject(el) && (typeof el['id'] === 'number' || typeof el['id'] === 'string')) byId.set(el['id'], i);
    });
    if (parsed.length !== calls.length) throw new RpcClientError('malformed', this.label, what, `${calls.length} requests answered with ${parsed.length} responses`);
    return calls.map((c, i) => {
      const at = byId.get(ids[i]);
      if (at === undefined) return new RpcClientError('malformed', this.label, c.method, `no response with id ${ids[i]} in the batch`);
      try {
        return this.unwrap(parsed[at], body, elements[at]!.start, c.method, ids[i], elements[at]!.members);
      } catch (e) {
        if (e instanceof RpcClientError) return e;
        throw e;
      }
    });
  }

  // ---- envelopes ----

  private parse(body: Uint8Array, status: number, what: string): unknown {
    const text = decodeUtf8(body);
    if (text === undefined) throw new RpcClientError('malformed', this.label, what, 'body is not UTF-8');
    try {
      return JSON.parse(text);
    } catch {
      if (status < 200 || status >= 300) throw new RpcClientError('http', this.label, what, `HTTP ${status}`);
      throw new RpcClientError('malformed', this.label, what, `body is not JSON (${body.length} bytes)`);
    }
  }

  /** The result of one envelope (at byte `start` of `body`), or a typed error. */
  private unwrap(env: unknown, body: Uint8Array, start: number, method: string, id: number | undefined, members?: Map<string, Span>): RpcResult {
    if (!isObject(env)) throw new RpcClientError('malformed', this.label, method, 'not a JSON-RPC envelope');
    const err = env['error'];
    if (err !== undefined && err !== null) {
      const e = isObject(err) ? err : {};
      const rpc: JsonRpcErrorBody = {
        code: typeof e['code'] === 'number' ? e['code'] : 0,
        message: typeof e['message'] === 'string' ? e['message'].slice(0, 500) : '',
      };
      if (typeof e['data'] === 'string') rpc.data = e['data'].slice(0, 500);
      throw new RpcClientError('rpc', this.label, method, `${rpc.code} ${rpc.message}${rpc.data ? `: ${rpc.data}` : ''}`, rpc);
    }
    if (!('result' in env) || env['result'] === undefined) throw new RpcClientError('malformed', this.label, method, 'envelope has neither result nor error');
    if (id !== undefined && env['id'] !== id) throw new RpcClientError('malformed', this.label, method, 'response id does not match the request');
    const span = (members ?? memberSpans(body, start)).get('result')!;
    // A view, not a copy: the body lives as long as its results (until they are written).
    return { value: env['result'], raw: body.subarray(span[0], span[1]) };
  }

  private anySignal(signal?: AbortSignal): AbortSignal | undefined {
    if (!signal) return this.signal;
    if (!this.signal) return signal;
    return AbortSignal.any([signal, this.signal]);
  }

  // ---- methods ----

  async status(signal?: AbortSignal): Promise<NodeStatus> {
    return parseStatus(await this.call('status', {}, signal), this.label);
  }

  block(height: number, signal?: AbortSignal): Promise<RpcResult> {
    return this.call('block', { height }, signal);
  }

  commit(height: number, signal?: AbortSignal): Promise<RpcResult> {
    return this.call('commit', { height }, signal);
  }

  blockResults(height: number, signal?: AbortSignal): Promise<RpcResult> {
    return this.call('block_results', { height }, signal);
  }

  /** Block metas for [minHeight, maxHeight], at most 20, highest first (rpc/core/blocks.go BlockchainInfo). */
  blockchain(minHeight: number, maxHeight: number, signal?: AbortSignal): Promise<RpcResult> {
    return this.call('blockchain', { minHeight, maxHeight }, signal);
  }

  /** The whole validator set at `height`: every page, merged (see mergeValidatorPages). */
  async validators(height: number, signal?: AbortSignal): Promise<RpcResult> {
    const first = await this.call('validators', { height, page: 1, per_page: VALIDATORS_PER_PAGE }, signal);
    return this.validatorsRest(height, first, signal);
  }

  /** Given page 1 of /validators, fetch the remaining pages (if any) and merge. */
  async validatorsRest(height: number, first: RpcResult, signal?: AbortSignal): Promise<RpcResult> {
    const p1 = pageInfo(first.value, this.label);
    if (p1.count >= p1.total) return first;
    const pages = Math.ceil(p1.total / VALIDATORS_PER_PAGE);
    if (pages > MAX_VALIDATOR_PAGES) throw new RpcClientError('malformed', this.label, 'validators', `${p1.total} validators is more than this client accepts`);
    const rest: RpcResult[] = [];
    for (let page = 2; page <= pages; page++) rest.push(await this.call('validators', { height, page, per_page: VALIDATORS_PER_PAGE }, signal));
    return mergeValidatorPages(first, rest, this.label);
  }

  /**
   * The genesis document. /genesis when the node serves it whole, else genesis_chunked
   * (rpc/core/net.go: /genesis refuses once the document spans more than one 16 MiB chunk).
   */
  async genesis(signal?: AbortSignal): Promise<GenesisResult> {
    let whole: RpcResult;
    try {
      whole = await this.call('genesis', {}, signal);
    } catch (e) {
      if (e instanceof RpcClientError && e.kind === 'rpc') return this.genesisChunked(signal);
      throw e;
    }
    if (!isObject(whole.value) || !('genesis' in whole.value)) throw new RpcClientError('malformed', this.label, 'genesis', 'result has no genesis');
    const span = memberSpans(whole.raw, 0).get('genesis')!;
    return { bytes: compactJson(whole.raw.subarray(span[0], span[1])), value: whole.value['genesis'], via: 'genesis' };
  }

  /** genesis_chunked: base64 chunks of cmtjson.Marshal(GenesisDoc) (rpc/core/env.go InitGenesisChunks). */
  async genesisChunked(signal?: AbortSignal): Promise<GenesisResult> {
    const parts: Uint8Array[] = [];
    let total = 1;
    let size = 0;
    for (let chunk = 0; chunk < total; chunk++) {
      const r = await this.call('genesis_chunked', { chunk }, signal);
      const o = isObject(r.value) ? r.value : {};
      const n = Number(o['total']);
      const at = Number(o['chunk']);
      if (!Number.isSafeInteger(n) || n < 1 || n > MAX_GENESIS_CHUNKS || at !== chunk || typeof o['data'] !== 'string') {
        throw new RpcClientError('malformed', this.label, 'genesis_chunked', `chunk ${chunk} is not a genesis chunk`);
      }
      if (chunk === 0) total = n;
      else if (n !== total) throw new RpcClientError('malformed', this.label, 'genesis_chunked', `chunk ${chunk} says ${n} chunks, chunk 0 said ${total}`);
      const data = o['data'];
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw new RpcClientError('malformed', this.label, 'genesis_chunked', `chunk ${chunk} is not base64`);
      const bytes = new Uint8Array(Buffer.from(data, 'base64'));
      size += bytes.length;
      if (size > this.maxGenesisBytes) throw new RpcClientError('oversized', this.label, 'genesis_chunked', `genesis passed ${this.maxGenesisBytes} bytes`);
      parts.push(bytes);
    }
    const bytes = new Uint8Array(Buffer.concat(parts, size));
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(bytes));
    } catch {
      throw new RpcClientError('malformed', this.label, 'genesis_chunked', 'the joined chunks are not JSON');
    }
    return { bytes: compactJson(bytes), value, via: 'genesis_chunked' };
  }
}

// ---- helpers ----

/**
 * The results of a batch answer laid out as CometBFT writes it (json-bytes.ts
 * compactBatchSpans), each parsed from its own bytes when it is first read, so that only the
 * results in use are held parsed (a block and its results, not the whole batch).
 *
 * A span is right if it parses and every span before it is right (json-bytes.ts says why), so
 * reading result i (its value or its bytes) first parses every earlier one not parsed yet, and
 * keeps it for its reader. A call with a `scan` has its span scanned instead (the scan accepts
 * only what JSON.parse accepts); its value is parsed only if read. If a span does not parse,
 * the whole body is parsed as any other answer, and results from there on (value and bytes)
 * come from that: a body that is not JSON makes each of them throw the batch's 'malformed'
 * error, as the batch itself would have thrown.
 */
class CompactBatch {
  private readonly values: unknown[] = [];
  private readonly scans: unknown[] = [];
  /** Results [0, parsed) are parsed or scanned (and kept until read). */
  private parsed = 0;
  private general: BatchOutcome[] | RpcClientError | undefined;

  constructor(
    private readonly body: Uint8Array, private readonly spans: readonly Span[], private readonly calls: readonly RpcCall[],
    private readonly parseWhole: () => BatchOutcome[],
  ) {}

  results(): RpcResult[] {
    return this.spans.map((_span, i) => {
      const resolve = (): RpcResult => this.result(i);
      let got: RpcResult | undefined;
      return {
        get value(): unknown {
          got ??= resolve();
          return got.value;
        },
        get raw(): Uint8Array {
          got ??= resolve();
          return got.raw;
        },
        get scanned(): unknown {
          got ??= resolve();
          return got.scanned;
        },
      };
    });
  }

  private result(i: number): RpcResult {
    while (this.parsed <= i && this.general === undefined) {
      const [from, to] = this.spans[this.parsed]!;
      const bytes = this.body.subarray(from, to);
      const scanned = this.calls[this.parsed]?.scan?.(bytes);
      if (scanned !== undefined) {
        this.scans[this.parsed++] = scanned;
        continue;
      }
      const text = decodeUtf8(bytes);
      let v: unknown;
      try {
        if (text === undefined) throw new SyntaxError('not UTF-8');
        v = JSON.parse(text);
      } catch {
        try {
          this.general = this.parseWhole();
        } catch (e) {
          if (!(e instanceof RpcClientError)) throw e;
          this.general = e;
        }
        break;
      }
      this.values[this.parsed++] = v;
    }
    if (i < this.parsed) {
      const [from, to] = this.spans[i]!;
      const raw = this.body.subarray(from, to);
      const value0 = this.values[i];
      const scanned = this.scans[i];
      // its reader keeps it from here
      this.values[i] = undefined;
      this.scans[i] = undefined;
      if (scanned === undefined) return { value: value0, raw };
      let value: unknown;
      let parsed = false;
      return {
        get value(): unknown {
          if (!parsed) {
            value = JSON.parse(decodeUtf8(raw)!);
            parsed = true;
          }
          return value;
        },
        raw,
        scanned,
      };
    }
    const g = this.general!;
    if (g instanceof RpcClientError) throw g;
    const o = g[i]!;
    if (o instanceof RpcClientError) throw o;
    return o;
  }
}

/** UTF-8 text of the bytes, undefined when they are not UTF-8. ASCII (what CometBFT writes) is read byte for byte. */
function decodeUtf8(b: Uint8Array): string | undefined {
  if (isAscii(b)) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON-RPC params as CometBFT's libs/json reads them: integers as decimal strings. */
function stringParams(p: RpcParams | undefined): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = typeof v === 'boolean' ? v : String(v);
  return out;
}

function intOf(v: unknown): number {
  const n = typeof v === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : NaN;
}

export function parseStatus(r: RpcResult, endpoint: string): NodeStatus {
  const bad = (what: string) => new RpcClientError('malformed', endpoint, 'status', what);
  const v = r.value;
  if (!isObject(v) || !isObject(v['node_info']) || !isObject(v['sync_info'])) throw bad('result lacks node_info or sync_info');
  const ni = v['node_info'], si = v['sync_info'];
  const latest = intOf(si['latest_block_height']);
  const earliest = intOf(si['earliest_block_height']);
  if (typeof ni['network'] !== 'string') throw bad('node_info.network is not a string');
  if (Number.isNaN(latest) || Number.isNaN(earliest)) throw bad('sync_info heights are not decimal integers');
  return { network: ni['network'], latestHeight: latest, earliestHeight: earliest, catchingUp: si['catching_up'] === true };
}

function pageInfo(v: unknown, endpoint: string): { height: string; count: number; total: number; validators: unknown[] } {
  const bad = (what: string) => new RpcClientError('malformed', endpoint, 'validators', what);
  if (!isObject(v) || !Array.isArray(v['validators'])) throw bad('result has no validators list');
  const count = intOf(v['count']), total = intOf(v['total']);
  if (Number.isNaN(count) || Number.isNaN(total) || count !== v['validators'].length || count > total) throw bad('count/total do not describe the page');
  return { height: String(v['block_height']), count, total, validators: v['validators'] };
}

/**
 * All pages of /validators as one result `{block_height, validators, count, total}` with
 * count = total. A single page is returned untouched (the bytes as served); several pages
 * are joined by splicing each validator's bytes as served.
 */
export function mergeValidatorPages(first: RpcResult, rest: readonly RpcResult[], endpoint = '(endpoint)'): RpcResult {
  const p1 = pageInfo(first.value, endpoint);
  if (rest.length === 0) return first;
  const pieces: Uint8Array[] = [];
  const validators: unknown[] = [...p1.validators];
  const spansOf = (r: RpcResult): Uint8Array[] => {
    const span = memberSpans(r.raw, 0).get('validators')!;
    return elementStarts(r.raw, span[0]).map((s) => r.raw.subarray(s, skipValue(r.raw, s)));
  };
  pieces.push(...spansOf(first));
  for (const r of rest) {
    const p = pageInfo(r.value, endpoint);
    if (p.height !== p1.height || p.total !== p1.total) throw new RpcClientError('malformed', endpoint, 'validators', 'pages disagree on block_height or total');
    validators.push(...p.validators);
    pieces.push(...spansOf(r));
  }
  if (validators.length !== p1.total) throw new RpcClientError('malformed', endpoint, 'validators', `pages hold ${validators.length} validators, total says ${p1.total}`);
  const head = encoder.encode(`{"block_height":${JSON.stringify(p1.height)},"validators":[`);
  const tail = encoder.encode(`],"count":"${p1.total}","total":"${p1.total}"}`);
  const comma = encoder.encode(',');
  const parts: Uint8Array[] = [head];
  pieces.forEach((p, i) => parts.push(...(i ? [comma, p] : [p])));
  parts.push(tail);
  const raw = new Uint8Array(Buffer.concat(parts));
  return { value: { block_height: p1.height, validators, count: String(p1.total), total: String(p1.total) }, raw };
}
