// @vitest-environment jsdom
import './setup';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { issueMessage, issueKindLabel } from '../../src/core/messages';
import { PaneError } from '../../src/taskpane/service';
import { fakeService, ISSUES } from './fakeService';
import { readyPage, renderPane } from './render';

describe('validate step', () => {
  it('validates through the service and lists each school’s issues with their cells, errors first', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    expect(service.validate).toHaveBeenCalledTimes(1);
    expect(await val.findByText('共 2 份填报，3 个错误，1 个警告，0 条提示。')).toBeInTheDocument();

    const first = val.getByRole('button', { name: /第一小学/ });
    expect(first).toHaveTextContent('2 个错误');
    expect(val.getByRole('button', { name: /第二中学/ })).toHaveTextContent('1 个警告');
    expect(val.getByRole('button', { name: /第四十五小学/ })).toHaveTextContent('1 个错误');

    await user.click(first);
    const errors = val.getByRole('list', { name: '第一小学 · 错误（必须修改）' });
    const rows = within(errors).getAllByRole('button');
    expect(rows.map((r) => r.textContent)).toEqual([`D8${issueMessage(ISSUES[0]!, 'zh-CN')}`, `D10${issueMessage(ISSUES[1]!, 'zh-CN')}`]);

    await user.click(rows[1]!);
    expect(service.showCell).toHaveBeenCalledWith(ISSUES[1]);
  });

  it('shows the cell on the standalone page when an issue is picked', async () => {
    const service = fakeService('file', {
      showCell: vi.fn(async () => ({ file: '第一小学.xlsx', sheet: '填报表', cell: 'D10', value: '八十', label: '专任教师数' })),
    });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    await user.click(await val.findByRole('button', { name: /第一小学/ }));
    await user.click(val.getByRole('button', { name: /^D10/ }));
    expect(await val.findByText('填报表!D10 单元格')).toBeInTheDocument();
    expect(val.getByText('内容：八十')).toBeInTheDocument();
    expect(val.getByText('指标：专任教师数')).toBeInTheDocument();
    await user.click(val.getByRole('button', { name: '关闭' }));
    expect(val.queryByText('填报表!D10 单元格')).toBeNull();
  });

  it('filters by kind of issue', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    const filter = await val.findByRole('combobox', { name: '按问题类型筛选' });
    const outlier = issueKindLabel('outlier.robust_z', 'zh-CN');
    await user.selectOptions(filter, outlier);
    expect(val.getByText('显示 1 / 4 个问题：0 个错误，1 个警告，0 条提示。')).toBeInTheDocument();
    expect(val.queryByRole('button', { name: /第一小学/ })).toBeNull();
    // A school's badges count what the filter lists of its problems, out of all it has.
    await user.selectOptions(filter, issueKindLabel('value.not_a_number', 'zh-CN'));
    expect(val.getByText('显示 1 / 4 个问题：1 个错误，0 个警告，0 条提示。')).toBeInTheDocument();
    expect(val.getByRole('button', { name: /第一小学/ })).toHaveTextContent('1 / 2 个错误');
    await user.selectOptions(filter, outlier);
    await user.click(val.getByRole('button', { name: /第二中学/ }));
    const rows = within(val.getByRole('list', { name: '第二中学 · 警告（请核实）' })).getAllByRole('button');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('D21');
    await user.selectOptions(filter, '全部类型');
    expect(val.getByRole('button', { name: /第一小学/ })).toBeInTheDocument();
  });

  it('expands every school at once', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    await user.click(await val.findByRole('button', { name: '全部展开' }));
    expect(val.getByRole('list', { name: '第一小学 · 错误（必须修改）' })).toBeInTheDocument();
    expect(val.getByRole('list', { name: '第二中学 · 警告（请核实）' })).toBeInTheDocument();
    expect(val.getByRole('button', { name: '全部收起' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('copies a Chinese message for one school with every problem and its cell', async () => {
    const { user, step } = renderPane(fakeService('excel'), 'en-US');
    const val = step('Validate');
    await user.click(val.getByRole('button', { name: 'Validate' }));
    await user.click(await val.findByRole('button', { name: /第一小学/ }));
    await user.click(val.getByRole('button', { name: 'Copy text for this school' }));
    const text = await navigator.clipboard.readText();
    expect(text).toContain('第一小学（学校代码 3401020001）');
    expect(text).toContain('《学校基本情况统计表》（2026年秋季学期）');
    expect(text).toContain(`1. 工作表“填报表”D8 单元格：${issueMessage(ISSUES[0]!, 'zh-CN')}`);
    expect(text).toContain(`2. 工作表“填报表”D10 单元格：${issueMessage(ISSUES[1]!, 'zh-CN')}`);
    expect(await val.findByText('Copied the text for 第一小学.')).toBeInTheDocument();
  });

  it('shows the text to copy by hand when the clipboard is refused', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) }, configurable: true });
    const val = step('校验');
    await user.click(val.getByRole('button', { name: '开始校验' }));
    await user.click(await val.findByRole('button', { name: /第二中学/ }));
    await user.click(val.getByRole('button', { name: '复制发给该校的文字' }));
    const box = await val.findByRole('textbox', { name: '发给 第二中学 的文字' });
    expect((box as HTMLTextAreaElement).value).toContain('请核实的疑问（1 个）');
    expect(val.getByText('无法使用剪贴板，请手动复制下面的文字。')).toBeInTheDocument();
  });

  it('shows a failure of the service in a message bar in the clerk’s language', async () => {
    const service = fakeService('file', { validate: vi.fn(async () => Promise.reject(new PaneError('no_school_files'))) });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    expect(await screen.findByText('出错了')).toBeInTheDocument();
    expect(screen.getByText('还没有可校验的学校文件，请先导入。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '关闭' }));
    await waitFor(() => expect(screen.queryByText('出错了')).toBeNull());
  });

  it('words an unexpected failure plainly and keeps its detail', async () => {
    const service = fakeService('excel', { validate: vi.fn(async () => Promise.reject(new Error('RichApi.Error: ItemNotFound'))) });
    const { user, step } = renderPane(service);
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    expect(await screen.findByText('发生了意外错误。')).toBeInTheDocument();
    expect(screen.getByText('详细信息：RichApi.Error: ItemNotFound')).toBeInTheDocument();
  });
});
