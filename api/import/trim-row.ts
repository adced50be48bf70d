/** Trims cells and drops trailing empty ones; returns [] for an empty row. */
export function trimRow(cells: string[]): string[] {
  let end = cells.length;
  const out = new Array<string>(end);
  for (let i = 0; i < cells.length; i++) out[i] = (cells[i] ?? '').trim();
  while (end > 0 && out[end - 1] === '') end--;
  out.length = end;
  return out;
}
