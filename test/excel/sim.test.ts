/** The simulator keeps the Office.js semantics the adapter relies on. */
import { describe, expect, it } from 'vitest';
import { ExcelSim, SimError } from './sim';

type Ctx = Excel.RequestContext;

function simWith(): { sim: ExcelSim; run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T> } {
  const sim = new ExcelSim();
  sim.addSheet({ name: 'Data', values: [['a', 1], ['b', 2]] });
  const run = <T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> => sim.excel.run(fn as never) as Promise<T>;
  return { sim, run };
}

describe('the Excel simulator', () => {
  it('throws PropertyNotLoaded until a property is loaded and synced', async () => {
    const { run } = simWith();
    await run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem('Data').getRange('A1:B2');
      expect(() => range.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      range.load('values');
      expect(() => range.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      await ctx.sync();
      expect(range.values).toEqual([['a', 1], ['b', 2]]);
    });
  });

  it('applies queued writes at sync, in order', async () => {
    const { sim, run } = simWith();
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Data');
      ws.getRange('A1').values = [['x']];
      ws.getRange('A1').values = [['y']];
      expect(sim.cell('Data', 'A1')?.value).toBe('a');
      await ctx.sync();
    });
    expect(sim.cell('Data', 'A1')?.value).toBe('y');
  });

  it('fails the sync with ItemNotFound at a missing item, keeping what was applied before it (Excel does not roll back)', async () => {
    const { sim, run } = simWith();
    await expect(
      run(async (ctx) => {
        ctx.workbook.worksheets.getItem('Data').getRange('A1').values = [['changed']];
        ctx.workbook.worksheets.getItem('Nope').getRange('A1').values = [['x']];
        ctx.workbook.worksheets.getItem('Data').getRange('A2').values = [['after']];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ItemNotFound' });
    expect(sim.cell('Data', 'A1')?.value).toBe('changed');
    expect(sim.cell('Data', 'A2')?.value).toBe('b');
  });

  it('gives null objects for OrNullObject lookups', async () => {
    const { run } = simWith();
    await run(async (ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      const there = ctx.workbook.worksheets.getItemOrNullObject('data');
      missing.load('name');
      there.load('name');
      const used = ctx.workbook.worksheets.add('Empty').getUsedRangeOrNullObject(true);
      used.load('address');
      await ctx.sync();
      expect(missing.isNullObject).toBe(true);
      expect(there.isNullObject).toBe(false);
      expect(there.name).toBe('Data');
      expect(used.isNullObject).toBe(true);
    });
  });

  it('rejects a request over the payload limit, and counts bytes', async () => {
    const sim = new ExcelSim({ payloadLimit: 10_000 });
    sim.addSheet('S');
    const big = Array.from({ length: 100 }, () => ['x'.repeat(200)]);
    await expect(
      sim.excel.run((async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem('S').getRange('A1:A100').values = big;
        await ctx.sync();
      }) as never),
    ).rejects.toMatchObject({ code: 'RequestPayloadSizeLimitExceeded' });
    expect(sim.syncs[0]!.requestBytes).toBeGreaterThan(20_000);
  });

  it('fails the chosen sync before it applies anything', async () => {
    const { sim, run } = simWith();
    sim.failAt = 2;
    await expect(
      run(async (ctx) => {
        ctx.workbook.worksheets.getItem('Data').getRange('A1').values = [['one']];
        await ctx.sync();
        ctx.workbook.worksheets.getItem('Data').getRange('A2').values = [['two']];
        await ctx.sync();
      }),
    ).rejects.toBeInstanceOf(SimError);
    expect(sim.cell('Data', 'A1')?.value).toBe('one');
    expect(sim.cell('Data', 'A2')?.value).toBe('b');
  });

  it('types strings as Excel does: formulas, numbers, and text only with an apostrophe or the @ format', async () => {
    const { sim, run } = simWith();
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Data');
      ws.getRange('C1:C7').values = [['=1+1'], ['-5 学生'], ['@x'], ['0012345678'], ["'=1+1"], ["'0012345678"], ['50%']];
      ws.getRange('D1').numberFormat = [['@']];
      ws.getRange('D1').values = [['=1+1']];
      await ctx.sync();
    });
    expect(sim.cell('Data', 'C1')).toMatchObject({ formula: '=1+1', value: 2 });
    expect(sim.cell('Data', 'C2')).toMatchObject({ formula: '=-5 学生', error: '#NAME?' });
    expect(sim.cell('Data', 'C3')?.formula).toBe('=@x');
    expect(sim.cell('Data', 'C4')?.value).toBe(12345678);
    expect(sim.cell('Data', 'C5')).toEqual({ value: '=1+1' });
    expect(sim.cell('Data', 'C6')).toEqual({ value: '0012345678' });
    expect(sim.cell('Data', 'C7')).toMatchObject({ value: 0.5, numberFormat: '0%' });
    expect(sim.cell('Data', 'D1')).toEqual({ value: '=1+1', numberFormat: '@' });
  });

  it('answers requirement sets and refuses APIs above them at sync', async () => {
    const sim = new ExcelSim({ apiVersion: '1.12' });
    sim.addSheet('S');
    expect(sim.office.context.requirements.isSetSupported('ExcelApi', '1.10')).toBe(true);
    expect(sim.office.context.requirements.isSetSupported('ExcelApi', '1.13')).toBe(false);
    await expect(
      sim.excel.run((async (ctx: Ctx) => {
        ctx.workbook.notes.add(ctx.workbook.worksheets.getItem('S').getRange('A1'), 'n');
        await ctx.sync();
      }) as never),
    ).rejects.toMatchObject({ code: 'ApiNotFound' });
  });

  it('keeps what a partial insert put in before it threw', async () => {
    const { writeXlsx } = await import('../../src/xlsx/write');
    const bytes = await writeXlsx([
      { name: 'One', rows: [{ role: 'data', cells: [{ value: 1 }] }] },
      { name: 'Two', rows: [{ role: 'data', cells: [{ value: 2 }] }] },
    ]);
    const { sim, run } = simWith();
    sim.insertBehavior = () => 'partial';
    await expect(
      run(async (ctx) => {
        ctx.workbook.insertWorksheetsFromBase64(Buffer.from(bytes).toString('base64'));
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'GeneralException' });
    expect(sim.names()).toEqual(['Data', 'One']);
  });

  it('fails one chosen action of a sync: the ones before it stay, the ones after never run', async () => {
    const { sim, run } = simWith();
    sim.failAction = (_sync, action) => action === 1;
    await expect(
      run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem('Data');
        ws.getRange('A1').values = [['first']];
        ws.getRange('A2').values = [['second']];
        ws.getRange('B1').values = [['third']];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'GeneralException' });
    expect([sim.cell('Data', 'A1')?.value, sim.cell('Data', 'A2')?.value, sim.cell('Data', 'B1')?.value]).toEqual(['first', 'b', 1]);
  });

  it('loses a response: every action applied, then the sync throws and no load is filled', async () => {
    const { sim, run } = simWith();
    sim.loseResponseAt = () => true;
    let range: Excel.Range | undefined;
    await expect(
      run(async (ctx) => {
        range = ctx.workbook.worksheets.getItem('Data').getRange('A1');
        range.values = [['written']];
        range.load('values');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ConnectionFailure' });
    expect(sim.cell('Data', 'A1')?.value).toBe('written');
    expect(() => range!.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
  });
});

describe('sheet protection in the simulator', () => {
  async function protectedTemplate(): Promise<Uint8Array> {
    const { writeXlsx } = await import('../../src/xlsx/write');
    return writeXlsx([
      {
        name: 'Form',
        rows: [
          { role: 'data', cells: [{ value: 'Students' }, { value: 10 }] },
          { role: 'data', cells: [{ value: 'Rate' }, { formula: '=B1*2', value: 20 }] },
        ],
        protection: { unlocked: [{ r0: 0, c0: 1, r1: 0, c1: 1 }] },
      },
    ]);
  }

  it('keeps a file sheet’s protection and its unlocked cells through insertWorksheetsFromBase64', async () => {
    const { sim, run } = simWith();
    await run(async (ctx) => {
      ctx.workbook.insertWorksheetsFromBase64(Buffer.from(await protectedTemplate()).toString('base64'));
      await ctx.sync();
    });
    expect(sim.sheet('Form').protected).toBe(true);
    expect(sim.cell('Form', 'B1')?.unlocked).toBe(true);
    expect(sim.cell('Form', 'B2')?.unlocked).toBeUndefined();
    // The template allows formatting columns and rows, not cells; objects (notes) are not protected by its <sheetProtection>.
    expect(sim.sheet('Form').protection.options).toMatchObject({ allowFormatColumns: true, allowFormatRows: true, allowFormatCells: false, allowEditObjects: true });
  });

  it('refuses with AccessDenied a write touching a locked cell (a null in the rectangle too), formatting, and notes where objects are protected; allows the unlocked input', async () => {
    const { sim, run } = simWith();
    await run(async (ctx) => {
      ctx.workbook.insertWorksheetsFromBase64(Buffer.from(await protectedTemplate()).toString('base64'));
      await ctx.sync();
    });
    const attempt = (fn: (ws: Excel.Worksheet, ctx: Ctx) => void) =>
      run(async (ctx) => {
        fn(ctx.workbook.worksheets.getItem('Form'), ctx);
        await ctx.sync();
      });
    await attempt((ws) => (ws.getRange('B1').values = [[12]]));
    expect(sim.cell('Form', 'B1')?.value).toBe(12);
    await expect(attempt((ws) => (ws.getRange('B2').values = [[99]]))).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(attempt((ws) => (ws.getRange('B1:B2').values = [[13], [null]]))).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(attempt((ws) => (ws.getRange('B1').format.fill.color = '#FFC7CE'))).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(sim.cell('Form', 'B1')?.value).toBe(12);
    // Protected through the API with no options: objects are protected too.
    await attempt((ws) => ws.protection.unprotect());
    await attempt((ws) => ws.protection.protect());
    await expect(attempt((ws, ctx) => ctx.workbook.notes.add(ws.getRange('B1'), 'x'))).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it('protects and unprotects as Excel does: twice is refused, a password must match', async () => {
    const { sim, run } = simWith();
    const step = (fn: (p: Excel.WorksheetProtection) => void) =>
      run(async (ctx) => {
        fn(ctx.workbook.worksheets.getItem('Data').protection);
        await ctx.sync();
      });
    await expect(step((p) => p.unprotect())).rejects.toMatchObject({ code: 'AccessDenied' });
    await step((p) => p.protect({ allowFormatColumns: true }, 'secret'));
    await expect(step((p) => p.protect())).rejects.toMatchObject({ code: 'AccessDenied' });
    // A wrong or missing password: the code the error reference gives for it.
    await expect(step((p) => p.unprotect())).rejects.toMatchObject({ code: 'BadPassword' });
    await expect(step((p) => p.unprotect('wrong'))).rejects.toMatchObject({ code: 'BadPassword' });
    const seen = await run(async (ctx) => {
      const p = ctx.workbook.worksheets.getItem('Data').protection;
      p.load('protected,options');
      await ctx.sync();
      return { protected: p.protected, formatColumns: p.options.allowFormatColumns, formatCells: p.options.allowFormatCells };
    });
    // Options the protection never set read back as null (office-js #1931), and protect() refuses them as given back.
    expect(seen).toEqual({ protected: true, formatColumns: true, formatCells: null });
    await step((p) => p.unprotect('secret'));
    expect(sim.sheet('Data').protected).toBe(false);
  });
  it('takes the page setup as PageLayout documents it, and refuses what it does not (ExcelApi 1.9)', async () => {
    const { sim, run } = simWith();
    const attempt = (fn: (layout: Excel.PageLayout) => void): Promise<unknown> =>
      run(async (ctx) => {
        fn(ctx.workbook.worksheets.getItem('Data').pageLayout);
        await ctx.sync();
      }).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    expect(
      await attempt((l) => {
        l.paperSize = 'A4';
        l.leftMargin = 36;
        l.headerMargin = 21.6;
        l.centerHorizontally = true;
        l.setPrintTitleColumns('$A:$B');
      }),
    ).toBe('ok');
    expect(sim.sheet('Data').print).toMatchObject({ paperSize: 'A4', leftMargin: 36, headerMargin: 21.6, centerHorizontally: true, titleColumns: '$A:$B' });
    // Not a PaperType; title columns that are not whole columns; margins that are not a length; a scale and fitting at once.
    expect(await attempt((l) => (l.paperSize = 'A4 Landscape' as never))).toBe('InvalidArgument');
    expect(await attempt((l) => l.setPrintTitleColumns('A1:B3'))).toBe('InvalidArgument');
    expect(await attempt((l) => (l.topMargin = -1))).toBe('InvalidArgument');
    expect(await attempt((l) => (l.zoom = { scale: 100, horizontalFitToPages: 1 }))).toBe('InvalidArgument');
    const old = new ExcelSim({ apiVersion: '1.8' });
    old.addSheet('S');
    await expect(
      old.excel.run((async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem('S').pageLayout.setPrintTitleColumns('$A:$A');
        await ctx.sync();
      }) as never),
    ).rejects.toMatchObject({ code: 'ApiNotFound' });
  });

  it('sets row heights from 0 to 409 points and alignments from their enums, and a protected sheet refuses row heights unless it allows formatting rows', async () => {
    const { sim, run } = simWith();
    const attempt = (fn: (ws: Excel.Worksheet) => void): Promise<unknown> =>
      run(async (ctx) => {
        fn(ctx.workbook.worksheets.getItem('Data'));
        await ctx.sync();
      }).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    expect(
      await attempt((ws) => {
        ws.getRange('A1:B2').format.rowHeight = 33;
        ws.getRange('A1').format.horizontalAlignment = 'Right';
      }),
    ).toBe('ok');
    expect([...sim.sheet('Data').rowHeights.entries()]).toEqual([[0, 33], [1, 33]]);
    expect(sim.cell('Data', 'A1')?.hAlign).toBe('Right');
    expect(await attempt((ws) => (ws.getRange('A1').format.rowHeight = 410))).toBe('InvalidArgument');
    expect(await attempt((ws) => (ws.getRange('A1').format.horizontalAlignment = 'Middle' as never))).toBe('InvalidArgument');
    expect(await attempt((ws) => (ws.getRange('A1').format.verticalAlignment = 'Middle' as never))).toBe('InvalidArgument');
    expect(await attempt((ws) => ws.protection.protect({ allowFormatColumns: true }))).toBe('ok');
    expect(await attempt((ws) => (ws.getRange('A1').format.rowHeight = 20))).toBe('AccessDenied');
  });
});
