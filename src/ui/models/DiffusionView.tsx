// The diffusion view (placeholder until the charts land).
export function DiffusionView() {
  return null;
}
export function DiffusionNotes() {
  return null;
}
