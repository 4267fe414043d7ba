// One figure block of a view: the chart's container, its caption (a title and a legend) and, when
// the chart has one, its data table under it. Every view builds its figures with it, so the
// markup the e2e tests, the figure export and the embed select (data-testid, the classes, the
// table's test id `${testId}-table`) is written once.
import type { ReactNode } from 'react';
import type { ChartTable } from '../charts/chartTable';
import type { AppState } from '../state/store';
import { ChartDataTable } from './ChartDataTable';

/** The chart's data table: its own selector and its chart module's table function. */
export interface FigureTable<D> {
  select: (s: AppState) => D | null;
  tables: (data: D) => ChartTable | ChartTable[];
  /** What the chart shows, for the table's accessible name. */
  title: string;
}

export function Figure<D>({
  testId,
  wide = false,
  className,
  title,
  legend,
  caption,
  table,
  children,
}: {
  testId: string;
  /** Spans the stage's width (class chart-wide). */
  wide?: boolean;
  /** Classes after chart and chart-wide. */
  className?: string;
  /** The caption's title. */
  title: ReactNode;
  /** The caption's keys, in a span of class legend; none when null, undefined or false. */
  legend?: ReactNode;
  /** Anything else in the caption, after the title and legend, as it is (a legend of its own). */
  caption?: ReactNode;
  table?: FigureTable<D>;
  /** The chart itself: an svg, a canvas, or a box holding both. */
  children: ReactNode;
}) {
  const classes = ['chart', wide && 'chart-wide', className].filter(Boolean).join(' ');
  return (
    <figure className={classes} data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
        {legend !== undefined && legend !== null && legend !== false && (
          <span className="legend">{legend}</span>
        )}
        {caption}
      </figcaption>
      {children}
      {table && (
        <ChartDataTable
          select={table.select}
          tables={table.tables}
          testId={`${testId}-table`}
          title={table.title}
        />
      )}
    </figure>
  );
}
