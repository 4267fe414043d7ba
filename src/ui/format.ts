// Number formatting for readouts and labels.
export function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(digits - 1);
  return v.toPrecision(digits);
}

export const percent = (v: number) => `${Math.round(v * 100)} %`;
