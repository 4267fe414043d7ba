// A chart's numbers as a table, under the chart: a closed disclosure ("Data table") that renders
// the table only while open, fed from the store at most once per frame as the chart is. The
// numbers come from the chart module's own table function (charts/chartTable.ts), applied to the
// same data the chart draws.
import './chartTable.css';
import { type ReactNode, useEffect, useReducer, useState } from 'react';
import type { Cell, ChartTable } from '../charts/chartTable';
import { type AppState, useStoreApi } from '../state/store';
import { fmt } from './format';
import { chartInputsChanged } from './useChart';

function CellText({ cell }: { cell: Cell }) {
  if (typeof cell === 'string') return <>{cell}</>;
  // Counts read as counts (fmt would write 3 as "3.00").
  if (typeof cell === 'number')
    return (
      <>{Number.isInteger(cell) && Math.abs(cell) < 1e9 ? cell.toLocaleString('en') : fmt(cell)}</>
    );
  return (
    <>
      {fmt(cell.value)} ({fmt(cell.low)}–{fmt(cell.high)})
    </>
  );
}

/** A cell's number for tests and copying (data-value): the median of a range; none for words. */
const cellNumber = (cell: Cell) =>
  typeof cell === 'number' ? cell : typeof cell === 'string' ? undefined : cell.value;

/** One or more tables; the first has the test id `testId`, others `${testId}-${key}`. */
export function ChartTables({ tables, testId }: { tables: ChartTable[]; testId: string }) {
  if (tables.every((t) => t.rows.length === 0)) return <p>Nothing drawn yet.</p>;
  return (
    <>
      {tables.map((t, i) => (
        // A scrolling region must take focus so keyboard users can scroll it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region (WCAG 2.1.1)
        <section className="scroll" tabIndex={0} aria-label={t.caption} key={t.key ?? i}>
          <table data-testid={i === 0 ? testId : `${testId}-${t.key ?? i}`}>
            <caption>{t.caption}</caption>
            <thead>
              <tr>
                {t.columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r) => (
                <tr key={r.header} aria-current={r.current ? 'true' : undefined}>
                  <th scope="row">{r.header}</th>
                  {r.cells.map((c, j) => (
                    <td key={t.columns[j + 1] ?? j} data-value={cellNumber(c)}>
                      <CellText cell={c} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {t.note && <p className="sub">{t.note}</p>}
        </section>
      ))}
    </>
  );
}

/** The disclosure: closed at first; `children` is called only while it is open. */
export function TableDisclosure({
  testId,
  title,
  children,
}: {
  testId: string;
  /** What the chart shows, for the summary's accessible name ("Data table: …"). */
  title: string;
  children: () => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="data-table chart-table"
      data-testid={`${testId}-toggle`}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        Data table<span className="visually-hidden">: {title}</span>
      </summary>
      {open && children()}
    </details>
  );
}

/** Re-renders its caller when the chart's inputs in the store change, at most once a frame. */
function useChartInputs(): AppState {
  const store = useStoreApi();
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = store.subscribe((state, prev) => {
      if (frame === 0 && chartInputsChanged(state, prev))
        frame = requestAnimationFrame(() => {
          frame = 0;
          bump();
        });
    });
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [store]);
  return store.getState();
}

function LiveTables<D>({
  select,
  tables,
  testId,
}: {
  select: (s: AppState) => D | null;
  tables: (data: D) => ChartTable | ChartTable[];
  testId: string;
}) {
  const data = select(useChartInputs());
  if (data === null) return <p>Nothing drawn yet.</p>;
  const t = tables(data);
  return <ChartTables tables={Array.isArray(t) ? t : [t]} testId={testId} />;
}

/**
 * A chart's data table: `select` is the chart's own selector (what useChart feeds it), `tables`
 * the chart module's table function.
 */
export function ChartDataTable<D>({
  select,
  tables,
  testId,
  title,
}: {
  select: (s: AppState) => D | null;
  tables: (data: D) => ChartTable | ChartTable[];
  testId: string;
  title: string;
}) {
  return (
    <TableDisclosure testId={testId} title={title}>
      {() => <LiveTables select={select} tables={tables} testId={testId} />}
    </TableDisclosure>
  );
}
