// Validator participation as a heatmap over height (D3): one row per validator, one column per
// height (or bucket of heights); dark where it signed the commit, red where it was in the set
// but absent, blank where it was not in the set; dashed lines where the validator set changed.
// Each cell says its height and state on hover; clicking opens the block.
import * as d3 from 'd3';
import { useEffect, useRef, useState } from 'react';
import type { ParticipationView } from '../../../../shared/api';
import { hashOf } from '../../route';

const LABEL_W = 150;
const ROW_H = 18;
const AXIS_H = 38;

function cellTitle(p: ParticipationView, row: number, col: number, share: number): string {
  const v = p.validators[row]!;
  const b = p.buckets[col]!;
  const where = b.from === b.to ? `height ${b.from}` : `heights ${b.from}–${b.to}`;
  const what = share < 0 ? 'not in the validator set' : share === 1 ? 'signed' : share === 0 ? 'absent (did not sign)' : `signed ${Math.round(share * 100)}% of the commits`;
  return `${v.address.slice(0, 12)}… at ${where}: ${what}`;
}

export function Heatmap({ data }: { data: ParticipationView }) {
  const box = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(900);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => setWidth(Math.max(400, Math.floor(entries[0]!.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const p = data;
    const height = p.validators.length * ROW_H + AXIS_H;
    const svg = d3.select(svgEl).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    svg.selectAll('*').remove();
    const x = d3.scaleBand<number>().domain(d3.range(p.buckets.length)).range([LABEL_W, width - 4]).paddingInner(p.buckets.length > 150 ? 0 : 0.12);
    const y = d3.scaleBand<number>().domain(d3.range(p.validators.length)).range([4, 4 + p.validators.length * ROW_H]).paddingInner(0.18);

    svg
      .append('g')
      .attr('class', 'hm-labels')
      .selectAll('text')
      .data(p.validators)
      .join('text')
      .attr('x', 0)
      .attr('y', (_, i) => (y(i) ?? 0) + y.bandwidth() / 2)
      .attr('dy', '0.35em')
      .text((v) => `${v.address.slice(0, 8)}… p${v.power}`)
      .append('title')
      .text((v) => `${v.address} · voting power ${v.power} · in the set at heights ${v.firstHeight}–${v.lastHeight} · absent from ${v.absent} commit(s)`);

    const cells = p.cells.flatMap((row, r) => row.map((share, c) => ({ r, c, share })).filter((d) => d.share >= 0));
    svg
      .append('g')
      .selectAll('rect')
      .data(cells)
      .join('rect')
      .attr('class', (d) => (d.share === 0 ? 'hm-cell is-absent' : 'hm-cell is-signed'))
      .attr('x', (d) => x(d.c) ?? 0)
      .attr('y', (d) => y(d.r) ?? 0)
      .attr('width', Math.max(1, x.bandwidth()))
      .attr('height', y.bandwidth())
      .attr('fill-opacity', (d) => (d.share === 0 ? 1 : 0.25 + 0.75 * d.share))
      .on('click', (_, d) => {
        window.location.hash = hashOf('explorer', 'block', p.buckets[d.c]!.from).slice(1);
      })
      .append('title')
      .text((d) => cellTitle(p, d.r, d.c, d.share));

    const bottom = 4 + p.validators.length * ROW_H;
    const tickCount = Math.min(8, p.buckets.length);
    const tickIdx = d3.range(tickCount).map((t) => Math.round((t * (p.buckets.length - 1)) / Math.max(1, tickCount - 1)));
    const axis = d3
      .axisBottom(x)
      .tickValues([...new Set(tickIdx)])
      .tickFormat((i) => String(p.buckets[i]!.from))
      .tickSizeOuter(0);
    svg.append('g').attr('class', 'hm-axis').attr('transform', `translate(0,${bottom + 2})`).call(axis);

    const change = svg.append('g').attr('class', 'hm-changes').selectAll('g').data(p.changes).join('g');
    const cx = (h: number) => x(Math.floor((h - p.from) / p.bucketSize)) ?? LABEL_W;
    change.append('line').attr('x1', (c) => cx(c.height) - 1).attr('x2', (c) => cx(c.height) - 1).attr('y1', 0).attr('y2', bottom + 4);
    change
      .append('text')
      .attr('x', (c) => Math.min(cx(c.height) + 2, width - 110))
      .attr('y', bottom + 32)
      .text((c) => `set changed at ${c.height}`)
      .append('title')
      .text((c) => `From height ${c.height}: ${c.added.length} added, ${c.removed.length} removed, ${c.powerChanged.length} with new power`);
  }, [data, width]);

  return (
    <div className="heatmap" ref={box} data-testid="heatmap">
      <svg ref={svgRef} role="img" aria-label={`Validator participation over heights ${data.from} to ${data.to}: ${data.validators.length} validators, ${data.changes.length} validator-set change(s)`} />
    </div>
  );
}
