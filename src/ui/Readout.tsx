// The numbers under a model's figures: a list of entries, each a label, a big number (the median
// at the shown generation, with its test id and raw value in `data-value` for tests and the
// summary) and a small note. One definition for every model's readout.
import type { ReactNode } from 'react';
import { fmt } from './format';

/** The readout list, or an empty busy box while the shown generation has not come in. */
export function Readout({ testId, children }: { testId: string; children?: ReactNode }) {
  if (!children) return <div className="readout" aria-busy="true" />;
  return (
    <dl className="readout" data-testid={testId}>
      {children}
    </dl>
  );
}

/** One entry; `testId` also writes the raw value (empty when missing) as `data-value`. */
export function ReadoutItem({
  label,
  value,
  digits,
  testId,
  sub,
}: {
  label: ReactNode;
  value: number | undefined;
  digits?: number;
  testId?: string;
  sub?: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <span
          className="big"
          data-testid={testId}
          data-value={testId === undefined ? undefined : (value ?? '')}
        >
          {fmt(value, digits)}
        </span>
        {sub !== undefined && (
          <>
            {' '}
            <span className="sub">{sub}</span>
          </>
        )}
      </dd>
    </div>
  );
}

/** The replicates' 5–95 % range of a readout's number. */
export function Spread({ summary }: { summary: { q05: number; q95: number } | null | undefined }) {
  return (
    <>
      5–95 %: {fmt(summary?.q05)}–{fmt(summary?.q95)}
    </>
  );
}

/** What chain 1 trained on at the shown generation (`unit`: points, digits, …). */
export function TrainedOn({
  testId,
  unit,
  training,
}: {
  testId: string;
  unit: string;
  training: { size: number; synthetic: number; real: number };
}) {
  return (
    <div>
      <dt>Chain 1 trained on</dt>
      <dd>
        <span className="sub" data-testid={testId}>
          {training.size.toLocaleString('en')} {unit}: {training.synthetic.toLocaleString('en')}{' '}
          synthetic, {training.real.toLocaleString('en')} real
        </span>
      </dd>
    </div>
  );
}
