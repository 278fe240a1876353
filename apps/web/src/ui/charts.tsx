/**
 * Small SVG charts: each is an image with a text alternative that says what it shows, so a screen
 * reader gets the figures a sighted reader gets from the picture.
 */

export interface Slice {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** A ring split in proportion to the values; the total in the middle. */
export function Donut({
  slices,
  label,
  centerLabel,
}: {
  readonly slices: readonly Slice[];
  readonly label: string;
  readonly centerLabel: string;
}) {
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const radius = 40;
  const circumference = 2 * Math.PI * radius;
  let offset = 0;
  const description = `${label}: ${slices.map((slice) => `${slice.label} ${slice.value}`).join(', ')}`;
  return (
    <figure className="chart donut">
      <svg viewBox="0 0 100 100" role="img" aria-label={description}>
        <circle cx="50" cy="50" r={radius} fill="none" stroke="var(--track)" strokeWidth="14" />
        {total > 0 &&
          slices.map((slice) => {
            const length = (slice.value / total) * circumference;
            const arc = (
              <circle
                key={slice.key}
                cx="50"
                cy="50"
                r={radius}
                fill="none"
                stroke={slice.color}
                strokeWidth="14"
                strokeDasharray={`${length} ${circumference - length}`}
                strokeDashoffset={-offset}
                transform="rotate(-90 50 50)"
              />
            );
            offset += length;
            return arc;
          })}
        <text x="50" y="48" textAnchor="middle" className="donut-total">
          {total}
        </text>
        <text x="50" y="62" textAnchor="middle" className="donut-caption">
          {centerLabel}
        </text>
      </svg>
      <Legend slices={slices} />
    </figure>
  );
}

export function Legend({ slices }: { readonly slices: readonly Slice[] }) {
  return (
    <ul className="legend" aria-hidden="true">
      {slices.map((slice) => (
        <li key={slice.key}>
          <span className="swatch" style={{ background: slice.color }} />
          {slice.label} <strong>{slice.value}</strong>
        </li>
      ))}
    </ul>
  );
}

/** Horizontal bars, one per row, each a share from 0 to 1 with its own label. */
export function ShareBars({
  rows,
  label,
  format,
}: {
  readonly rows: readonly {
    readonly key: string;
    readonly label: string;
    readonly share: number;
    readonly detail?: string;
  }[];
  readonly label: string;
  readonly format: (share: number) => string;
}) {
  const description = `${label}: ${rows.map((row) => `${row.label} ${format(row.share)}`).join(', ')}`;
  return (
    <figure className="chart share-bars" role="img" aria-label={description}>
      {rows.map((row) => (
        <div className="share-row" key={row.key} aria-hidden="true">
          <span className="share-label" title={row.detail}>
            {row.label}
          </span>
          <span className="share-track">
            <span className="share-fill" style={{ width: `${Math.round(row.share * 100)}%` }} />
          </span>
          <span className="share-value">{format(row.share)}</span>
        </div>
      ))}
    </figure>
  );
}

/** Columns per period, stacked by series (e.g. milestones due per month: done, open, overdue). */
export function StackedColumns({
  periods,
  series,
  label,
}: {
  /** `label` under each column (short: a month), `group` under the first column of each group (a year). */
  readonly periods: readonly {
    readonly key: string;
    readonly label: string;
    readonly group?: string;
    readonly values: readonly number[];
  }[];
  readonly series: readonly { readonly label: string; readonly color: string }[];
  readonly label: string;
}) {
  const max = Math.max(1, ...periods.map((period) => period.values.reduce((a, b) => a + b, 0)));
  // Wide enough for the longest short month ("sept.", "févr.") at the label size: labels never touch.
  const pitch = 38;
  const width = Math.max(periods.length * pitch, 120);
  const height = 120;
  const description = `${label}: ${periods
    .map(
      (period) =>
        `${period.label} ${period.group ?? ''} ${period.values.map((value, index) => `${series[index]?.label} ${value}`).join(', ')}`,
    )
    .join('; ')}`;
  return (
    <figure className="chart columns">
      <div className="columns-scroll">
        <svg
          width={width}
          height={height + 32}
          viewBox={`0 0 ${width} ${height + 32}`}
          role="img"
          aria-label={description}
        >
          {periods.map((period, column) => {
            let y = height;
            const shown = column === 0 || period.group !== periods[column - 1]?.group;
            return (
              <g key={period.key} transform={`translate(${column * pitch + 6} 0)`}>
                {period.values.map((value, index) => {
                  const barHeight = (value / max) * (height - 4);
                  y -= barHeight;
                  return value === 0 ? null : (
                    <rect key={index} x="0" y={y} width="24" height={barHeight} fill={series[index]?.color} rx="2" />
                  );
                })}
                <text x="12" y={height + 13} textAnchor="middle" className="axis-label">
                  {period.label}
                </text>
                {shown && period.group !== undefined ? (
                  <text x="0" y={height + 27} textAnchor="start" className="axis-label axis-group">
                    {period.group}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <Legend
        slices={series.map((entry, index) => ({
          key: String(index),
          label: entry.label,
          color: entry.color,
          value: periods.reduce((sum, period) => sum + (period.values[index] ?? 0), 0),
        }))}
      />
    </figure>
  );
}

/** A half-circle gauge for a share from 0 to 1 (null: nothing to measure). */
export function Gauge({
  share,
  label,
  text,
}: {
  readonly share: number | null;
  readonly label: string;
  readonly text: string;
}) {
  const value = share ?? 0;
  const angle = Math.PI * (1 - value);
  const x = 50 + 40 * Math.cos(angle);
  const y = 50 - 40 * Math.sin(angle);
  return (
    <svg className="gauge" viewBox="0 0 100 58" role="img" aria-label={`${label}: ${text}`}>
      <path d="M10 50 A40 40 0 0 1 90 50" fill="none" stroke="var(--track)" strokeWidth="10" strokeLinecap="round" />
      {share !== null && value > 0 && (
        <path
          d={`M10 50 A40 40 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`}
          fill="none"
          stroke={value >= 0.8 ? 'var(--green)' : value >= 0.5 ? 'var(--amber)' : 'var(--red)'}
          strokeWidth="10"
          strokeLinecap="round"
        />
      )}
      <text x="50" y="48" textAnchor="middle" className="gauge-text">
        {text}
      </text>
    </svg>
  );
}

/** A thin progress bar with its percentage for assistive technology. */
export function ProgressBar({ share, label }: { readonly share: number; readonly label: string }) {
  return (
    <span
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(share * 100)}
    >
      <span className="progress-fill" style={{ width: `${Math.round(share * 100)}%` }} />
    </span>
  );
}
