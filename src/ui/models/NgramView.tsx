// The language model's view (filled in below).
export function NgramView() {
  return null;
}
export function NgramNotes() {
  return null;
}
