// CSV of the table's current view (RFC 4180: fields with a comma, quote or line break are quoted,
// quotes doubled; NA for no value, as the stages' own tables/*.csv).
export type Cell = string | number | null | undefined;

export function csvField(cell: Cell): string {
  if (cell === null || cell === undefined) return 'NA';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'NA';
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\n') + '\n';
}
