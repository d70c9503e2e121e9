/** Marks on school sheets: fill plus a note or comment, replaced run after run, never touching the school's own. */
import { afterEach, describe, expect, it } from 'vitest';
import { MARKS_SETTING, MARK_FILL, createExcelPort } from '../../src/excel';
import type { CellMark } from '../../src/workbook/plan';
import { ExcelSim } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

function school(options: ConstructorParameters<typeof ExcelSim>[0] = {}): ExcelSim {
  const sim = new ExcelSim(options);
  sim.addSheet({ name: 'S1', values: [['学校代码', '001'], ['学生数', 100], ['教师数', 8]] });
  sim.addSheet({ name: 'S2', values: [['学校代码', '002'], ['学生数', 50]] });
  uninstall = sim.install();
  return sim;
}

const mark = (sheet: string, cell: string, message = '有误', severity: CellMark['severity'] = 'error'): CellMark => ({ sheet, cell, severity, message });

describe('marks', () => {
  it('puts a fill and a note, and takes them away on the next run', async () => {
    const sim = school();
    const before = sim.snapshot();
    const port = createExcelPort();
    await port.markCells(['S1'], [mark('S1', 'B2', '学生数有误'), mark('S1', '$b$3', '教师数偏多', 'warning')]);
    expect(sim.cell('S1', 'B2')).toMatchObject({ value: 100, fill: MARK_FILL.error });
    expect(sim.cell('S1', 'B3')).toMatchObject({ value: 8, fill: MARK_FILL.warning });
    expect(sim.snapshot()).toMatchObject({ notes: [['S1', 'B2', '学生数有误'], ['S1', 'B3', '教师数偏多']] });
    expect(sim.syncCount).toBe(3);

    await port.markCells(['S1'], []);
    expect(sim.model.settings.get(MARKS_SETTING)).toBe(JSON.stringify({ v: 1, marks: [] }));
    sim.model.settings.delete(MARKS_SETTING);
    expect(sim.snapshot()).toEqual(before);
  });

  it('joins several messages on one cell into one note, an error outranking a warning', async () => {
    const sim = school();
    await createExcelPort().markCells(['S1'], [mark('S1', 'B2', 'a', 'warning'), mark('S1', 'B2', 'b', 'error'), mark('S1', 'B2', 'a', 'warning')]);
    expect(sim.cell('S1', 'B2')!.fill).toBe(MARK_FILL.error);
    expect(sim.model.notes.map((n) => n.content)).toEqual(['a\nb']);
  });

  it('gives back the fill the school had, and leaves a fill or note the school made alone', async () => {
    const sim = school();
    sim.type('S1', 'B2', { fill: '#00B0F0' });
    sim.model.notes.push({ sheetId: sim.sheet('S1').id, r: 2, c: 1, content: '学校的批注' });
    const port = createExcelPort();
    await port.markCells(['S1'], [mark('S1', 'B2'), mark('S1', 'B3'), mark('S2', 'B2')]);
    expect(sim.cell('S1', 'B2')!.fill).toBe(MARK_FILL.error);
    // B3 already had the school's note: the mark is a fill alone.
    expect(sim.model.notes.map((n) => n.content).sort()).toEqual(['学校的批注', '有误', '有误']);

    // The school recolours B3 after the mark; the next run must not touch it.
    sim.type('S1', 'B3', { fill: '#92D050' });
    await port.markCells(['S1'], []);
    expect(sim.cell('S1', 'B2')!.fill).toBe('#00B0F0');
    expect(sim.cell('S1', 'B3')!.fill).toBe('#92D050');
    expect(sim.model.notes.map((n) => n.content).sort()).toEqual(['学校的批注', '有误']);
    // S2 was not among the sheets to clear: its mark stays, and stays on record.
    expect(sim.cell('S2', 'B2')!.fill).toBe(MARK_FILL.error);
    await port.markCells(['S2'], []);
    expect(sim.cell('S2', 'B2')!.fill).toBeUndefined();
    expect(sim.model.notes.map((n) => n.content)).toEqual(['学校的批注']);
  });

  it('marks a cell again without losing the fill from before the first mark', async () => {
    const sim = school();
    sim.type('S1', 'B2', { fill: '#00B0F0' });
    const port = createExcelPort();
    await port.markCells(['S1'], [mark('S1', 'B2', 'first')]);
    await port.markCells(['S1'], [mark('S1', 'B2', 'second', 'warning')]);
    expect(sim.cell('S1', 'B2')!.fill).toBe(MARK_FILL.warning);
    expect(sim.model.notes.map((n) => n.content)).toEqual(['second']);
    await port.markCells(['S1'], []);
    expect(sim.cell('S1', 'B2')!.fill).toBe('#00B0F0');
    expect(sim.model.notes).toEqual([]);
  });

  it('uses comments where notes are missing (ExcelApi 1.10 to 1.17), and removes only its own', async () => {
    const sim = school({ apiVersion: '1.17' });
    sim.model.comments.push({ id: 'theirs', sheetId: sim.sheet('S1').id, r: 2, c: 1, content: '学校的评论' });
    const port = createExcelPort();
    await port.markCells(['S1'], [mark('S1', 'B2', '学生数有误'), mark('S1', 'B3')]);
    expect(sim.model.notes).toEqual([]);
    expect(sim.model.comments.map((c) => c.content).sort()).toEqual(['学校的评论', '学生数有误']);
    expect(sim.cell('S1', 'B3')!.fill).toBe(MARK_FILL.error);
    await port.markCells(['S1'], []);
    expect(sim.model.comments.map((c) => c.content)).toEqual(['学校的评论']);
    expect(sim.cell('S1', 'B2')!.fill).toBeUndefined();
  });

  it('marks with the fill alone where neither notes nor comments exist (below ExcelApi 1.10)', async () => {
    const sim = school({ apiVersion: '1.9' });
    const port = createExcelPort();
    await port.markCells(['S1', 'S2'], [mark('S1', 'B2'), mark('S2', 'B2', 'x', 'warning')]);
    expect(sim.cell('S1', 'B2')!.fill).toBe(MARK_FILL.error);
    expect(sim.cell('S2', 'B2')!.fill).toBe(MARK_FILL.warning);
    expect(sim.model.notes).toEqual([]);
    expect(sim.model.comments).toEqual([]);
    await port.markCells(['S1', 'S2'], []);
    expect(sim.cell('S1', 'B2')!.fill).toBeUndefined();
  });

  it('skips marks and records on sheets that are gone', async () => {
    const sim = school();
    const port = createExcelPort();
    await port.markCells(['S1', 'S2'], [mark('S1', 'B2'), mark('S2', 'B2')]);
    sim.model.sheets = sim.model.sheets.filter((s) => s.name !== 'S2');
    await port.markCells(['S1', 'S2'], [mark('S2', 'B1')]);
    expect(sim.cell('S1', 'B2')!.fill).toBeUndefined();
    expect(JSON.parse(String(sim.model.settings.get(MARKS_SETTING)))).toEqual({ v: 1, marks: [] });
  });

  it('spreads a very large number of marks over syncs under 4 MB', async () => {
    const sim = new ExcelSim();
    sim.addSheet({ name: 'Big', values: Array.from({ length: 12_000 }, (_, r) => [r, r + 1]) });
    uninstall = sim.install();
    const marks = Array.from({ length: 24_000 }, (_, i) => mark('Big', `${i % 2 === 0 ? 'A' : 'B'}${Math.floor(i / 2) + 1}`, `第${i}个问题：数值与上期相差过大，请核实`));
    await createExcelPort().markCells(['Big'], marks);
    expect(sim.model.notes).toHaveLength(24_000);
    expect(sim.maxRequestBytes).toBeLessThan(4 * 1024 * 1024);
    expect(sim.maxResponseBytes).toBeLessThan(4 * 1024 * 1024);
  });
});
