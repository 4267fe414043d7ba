// The figures' numbers as a table, for readers who cannot see the charts (and anyone who wants the
// values): per generation, the median and 5–95 % range across chains of each of the model spec's
// metrics, and what chain 1 trained on. Long runs show evenly spaced generations (the CSV export
// has them all). Rendered only while open.
import { useState } from 'react';
import { tableGenerations } from '../charts/chartTable';
import { csvMetrics } from '../core/export';
import { shownGeneration, useStore } from '../state/store';
import { fmt } from './format';

/** Most rows shown; the shown generation is always among them. */
const MAX_ROWS = 60;

function Table() {
  const results = useStore((s) => s.results);
  const model = useStore((s) => s.resultsModel);
  const shown = useStore(shownGeneration);
  const rows = results.map((r) => ({ generation: r.generation, stats: r.stats }));
  const metrics = csvMetrics(model, rows);
  if (results.length === 0) return <p>No generation computed yet.</p>;
  return (
    // A scrolling region must take focus so keyboard users can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region (WCAG 2.1.1)
    <section className="scroll" tabIndex={0} aria-label="Data table">
      <table data-testid="data-table">
        <caption className="visually-hidden">
          Median and 5–95 % range across chains of each metric, per generation
        </caption>
        <thead>
          <tr>
            <th scope="col">generation</th>
            {metrics.map((m) => (
              <th scope="col" key={m}>
                {m}
              </th>
            ))}
            <th scope="col">chain 1 trained on (synthetic / real)</th>
          </tr>
        </thead>
        <tbody>
          {tableGenerations(results.length, shown, MAX_ROWS).map((g) => {
            const r = results[g];
            return (
              <tr key={g} aria-current={g === shown ? 'true' : undefined}>
                <th scope="row">{r.generation}</th>
                {metrics.map((m) => {
                  const s = r.stats[m as keyof typeof r.stats];
                  return (
                    <td key={m}>{s ? `${fmt(s.median)} (${fmt(s.q05)}–${fmt(s.q95)})` : '–'}</td>
                  );
                })}
                <td>
                  {r.chain.training.synthetic} / {r.chain.training.real}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function DataTable() {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="data-table"
      data-testid="data-table-toggle"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>The figures' numbers as a table</summary>
      {open && <Table />}
    </details>
  );
}
