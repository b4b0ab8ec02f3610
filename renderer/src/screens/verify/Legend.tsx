// The heatmap's legend, in words as well as swatches.
export function HeatmapLegend({ bucketSize }: { bucketSize: number }) {
  return (
    <div className="legend" aria-hidden="true">
      <span>
        <i className="swatch is-signed" /> signed{bucketSize > 1 ? ' (shade: share of the bucket)' : ''}
      </span>
      <span>
        <i className="swatch is-absent" /> absent
      </span>
      <span>
        <i className="swatch is-none" /> not in the set
      </span>
      <span>
        <i className="swatch is-change" /> validator set changed
      </span>
    </div>
  );
}
