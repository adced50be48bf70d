import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FaultRow {
  fault: string;
  /** Call workflows without a final record when the fault struck. */
  inFlight: number;
  /** From the fault until every one of those calls had its final record. */
  recoveryMs: number;
  violations: string[];
}

/** The fault suite's result as a Markdown table: printed, and kept where `FAULT_TABLE_FILE` says. */
export function faultTable(rows: FaultRow[], summary: string): string {
  const lines = [
    '| fault | calls in flight | recovery time | invariants |',
    '| --- | ---: | ---: | --- |',
    ...rows.map(
      (row) =>
        `| ${row.fault} | ${row.inFlight} | ${(row.recoveryMs / 1000).toFixed(1)} s | ${
          row.violations.length === 0 ? 'held' : `VIOLATED: ${row.violations.join('; ')}`
        } |`,
    ),
  ];
  return `${lines.join('\n')}\n\n${summary}\n`;
}

export async function keepFaultTable(table: string, file: string | undefined): Promise<void> {
  console.log(`\n[fault suite]\n${table}`);
  if (!file) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, table);
}
