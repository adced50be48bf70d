import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../api/campaigns/results-export';

/** Issue 20, item 14: what a spreadsheet reads back from an exported line, by either separator. */
const cellsOf = (line: string, delimiter: ',' | ';') => parse(line, { delimiter, relax_quotes: true })[0] as string[];

describe('CSV export cells', () => {
  it('quotes every field, so a Turkish Excel splitting on ; keeps `Ali;=1+1` in one cell', () => {
    const line = csvLine(['Ali;=1+1', '+905321234567', 3, null]);
    // A leading + is a formula prefix too: the number stays text.
    expect(line).toBe('"Ali;=1+1","\'+905321234567","3",""\r\n');
    // Read with ; (as a Turkish Excel does), no cell begins a formula.
    expect(cellsOf(line, ';').filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    expect(cellsOf(line, ',')).toEqual(['Ali;=1+1', "'+905321234567", '3', '']);
  });

  it('neutralises a formula at the start of any cell and keeps quotes and line breaks inside it', () => {
    const line = csvLine(['=HYPERLINK("http://x")', '@SUM(A1)', '-2+3', 'say "hi"\nbye']);
    expect(cellsOf(line, ',')).toEqual(["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3", 'say "hi"\nbye']);
  });
});
