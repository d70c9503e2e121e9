// @vitest-environment jsdom
import './setup';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PaneError } from '../../src/taskpane/service';
import { fakeService, PRESET_VIEW, VALIDATION } from './fakeService';
import type { Issue } from '../../src/core/types';
import { readyPage, renderPane } from './render';

describe('last period in the validation step', () => {
  it('loads last period’s summary from a file, says what was loaded, and forgets it on request', async () => {
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    const val = step('校验');
    expect(val.getByText('未载入上期数据，不做与上期的比较。')).toBeInTheDocument();
    const file = new File([new Uint8Array([123, 125])], '2025秋 全区汇总.json', { type: 'application/json' });
    await user.upload(val.getByLabelText('上期全区汇总（.xlsx 或 .json）'), file);
    await waitFor(() => expect(service.loadPrevious).toHaveBeenCalledTimes(1));
    const input = service.loadPrevious.mock.calls[0]![0];
    expect('file' in input && input.file.name).toBe('2025秋 全区汇总.json');
    expect('file' in input && [...input.file.bytes]).toEqual([123, 125]);
    expect(await val.findByText('已载入上期数据：2025秋 全区汇总.json，44 所学校。')).toBeInTheDocument();
    // The standalone page has no workbook sheets to offer.
    expect(val.queryByRole('combobox', { name: '或选用本工作簿中的工作表' })).toBeNull();

    await user.click(val.getByRole('button', { name: '不再与上期比较' }));
    expect(service.clearPrevious).toHaveBeenCalledTimes(1);
    expect(await val.findByText('未载入上期数据，不做与上期的比较。')).toBeInTheDocument();
  });

  it('offers the workbook’s sheets in Excel and loads the one picked', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    const val = step('校验');
    const select = await val.findByRole('combobox', { name: '或选用本工作簿中的工作表' });
    // The sheets are listed only when the clerk opens the list (each listing is a round trip to Excel).
    expect(service.previousSheets).not.toHaveBeenCalled();
    await user.click(select);
    await within(select).findByRole('option', { name: '上期汇总' });
    expect(service.previousSheets).toHaveBeenCalled();
    await user.selectOptions(select, '上期汇总');
    await waitFor(() => expect(service.loadPrevious).toHaveBeenCalledWith({ sheet: '上期汇总' }, expect.anything()));
    expect(await val.findByText('已载入上期数据：上期汇总，44 所学校。')).toBeInTheDocument();
  });

  it('keeps what was loaded when a later file holds no summary, and says why in the clerk’s words', async () => {
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    const val = step('校验');
    await user.upload(val.getByLabelText('上期全区汇总（.xlsx 或 .json）'), new File(['{}'], 'good.json'));
    expect(await val.findByText('已载入上期数据：good.json，44 所学校。')).toBeInTheDocument();
    service.loadPrevious.mockImplementationOnce(async () => {
      throw new PaneError('previous_invalid', { file: '名册.xlsx' });
    });
    await user.upload(val.getByLabelText('上期全区汇总（.xlsx 或 .json）'), new File(['x'], '名册.xlsx'));
    expect(await screen.findByText(/“名册.xlsx”中找不到上期汇总/)).toBeInTheDocument();
    expect(val.getByText('已载入上期数据：good.json，44 所学校。')).toBeInTheDocument();
  });
});

describe('copies of school sheets on the standalone page', () => {
  it('are on by default for a district and can be turned off', async () => {
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    const con = step('汇总');
    const copies = con.getByRole('switch', { name: /附各校工作表的副本/ });
    expect(copies).toBeChecked();
    await user.click(copies);
    await user.click(con.getByRole('button', { name: '开始汇总' }));
    await waitFor(() => expect(service.consolidate).toHaveBeenCalledTimes(1));
    expect(service.consolidate.mock.calls[0]![0]).toMatchObject({ copies: false });
  });

  it('are not offered in Excel, where the school sheets are already in the workbook', () => {
    const { step } = renderPane(fakeService('excel'));
    expect(step('汇总').queryByRole('switch', { name: /附各校工作表的副本/ })).toBeNull();
  });
});

describe('a result that left the copies out', () => {
  it('says so under the completeness line', async () => {
    const note = { code: 'output.copies_omitted' as const, severity: 'info' as const, params: { sheets: 412, limit: 300, chosen: false } };
    const service = fakeService('file', { consolidate: vi.fn(async () => ({ ...(await fakeService('file').consolidate({ groupBy: [], mode: 'values', includeSchoolsWithErrors: false, writeRates: true }, 'zh-CN', { signal: new AbortController().signal, onProgress: () => {} })), notes: [note] })) });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    expect(await step('结果').findByText(/本汇总未附 412 张学校填报表的副本（超过 300 张时默认不附/)).toBeInTheDocument();
  });
});

describe('return packages', () => {
  for (const kind of ['file', 'excel'] as const) {
    it(`are made from the validation step and downloaded as one .zip (${kind})`, async () => {
      Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:huizong'), revokeObjectURL: vi.fn() });
      const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
      const service = fakeService(kind);
      const { user, step } = renderPane(service);
      await readyPage(user, step);
      const val = step('校验');
      expect(val.queryByRole('button', { name: '生成退回修改包' })).toBeNull();
      await user.click(val.getByRole('button', { name: '开始校验' }));
      await user.click(await val.findByRole('button', { name: '生成退回修改包' }));
      await vi.waitFor(() => expect(click).toHaveBeenCalledTimes(1));
      expect(service.returnPackages).toHaveBeenCalledWith('zh-CN', expect.anything());
      expect((click.mock.instances[0] as unknown as HTMLAnchorElement).download).toBe('退回修改包.zip');
      expect(await val.findByText(/已生成 2 所学校的退回修改包：退回修改包\.zip。/)).toBeInTheDocument();
      if (kind === 'excel') expect(val.getByText(/退回汇总已写入工作表“退回汇总”/)).toBeInTheDocument();
      else expect(val.queryByText(/已写入工作表/)).toBeNull();
      click.mockRestore();
    });
  }
});

describe('the school roster on the standalone page', () => {
  it('says plainly what cannot be computed without a roster, and loads one from its own file', async () => {
    const service = fakeService('file', { createFromPreset: vi.fn(async () => ({ ...PRESET_VIEW, schools: 0 })) });
    const { user, step } = renderPane(service);
    const defs = step('指标定义');
    await user.click(defs.getByRole('button', { name: '用内置模板创建' }));
    expect(await defs.findByText(/尚未载入学校名册：报送情况（应报、未报送的学校）、名册外的学校、学段和乡镇分组以及差异系数都无法计算/)).toBeInTheDocument();
    await user.upload(defs.getByLabelText('学校名册文件'), new File(['x'], '学校名册.xlsx'));
    await waitFor(() => expect(service.loadRosterFile).toHaveBeenCalledTimes(1));
    expect(await defs.findByText('学校名册：学校名册.xlsx，45 所学校')).toBeInTheDocument();
    expect(defs.queryByText(/尚未载入学校名册/)).toBeNull();
  });

  it('is offered only on the standalone page: in Excel the roster is a sheet of the workbook', () => {
    const { step } = renderPane(fakeService('excel'));
    expect(step('指标定义').queryByLabelText('学校名册文件')).toBeNull();
  });
});

describe('a school that sent twice', () => {
  it('lets the clerk make the other file the one that stands, and validates again', async () => {
    const dup: Issue = { code: 'school.duplicate', severity: 'error', school: '3401020001', file: '第一小学.xlsx', sheet: '填报表', params: { code: '3401020001', file: '第一小学.xlsx', others: '第一小学（更正）.xlsx', count: 2 } };
    const service = fakeService('file', { validate: vi.fn(async () => ({ ...VALIDATION, issues: [dup] })) });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    await user.click(await val.findByRole('button', { name: /第一小学/ }));
    await user.click(val.getByRole('button', { name: '改用 第一小学.xlsx 中的数据' }));
    await waitFor(() => expect(service.keepSubmission).toHaveBeenCalledWith(dup));
    await waitFor(() => expect(service.validate).toHaveBeenCalledTimes(2));
  });
});

describe('a picked cell on the standalone page', () => {
  it('shows right under the issue that was clicked, inside its school', async () => {
    const service = fakeService('file', {
      showCell: vi.fn(async () => ({ file: '第一小学.xlsx', sheet: '填报表', cell: 'D10', value: '八十', label: '专任教师数' })),
    });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    await user.click(await val.findByRole('button', { name: /第一小学/ }));
    const list = val.getByRole('list', { name: '第一小学 · 错误（必须修改）' });
    const row = within(list).getByRole('button', { name: /^D10/ });
    await user.click(row);
    const title = await within(list).findByText('填报表!D10 单元格');
    // The preview is the list item right after the clicked issue's.
    expect(row.closest('li')!.nextElementSibling).toBe(title.closest('li'));
    expect(val.getAllByText('填报表!D10 单元格')).toHaveLength(1);
  });
});
