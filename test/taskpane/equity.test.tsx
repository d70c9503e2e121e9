// @vitest-environment jsdom
import './setup';
import { within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeService, PRESET_VIEW } from './fakeService';
import { readyPage, renderPane } from './render';

describe('均衡 step', () => {
  it('says what it will show before consolidating', () => {
    const { step } = renderPane(fakeService('excel'));
    expect(step('义务教育均衡').getByText(/汇总后，这里按学段列出/)).toBeInTheDocument();
  });

  it('says there is nothing to show when the definitions hold no standard', async () => {
    const { user, step } = renderPane(fakeService('excel', { checkDefinitions: async () => ({ ...PRESET_VIEW, standards: 0 }) }));
    await user.click(step('指标定义').getByRole('button', { name: '检查定义' }));
    expect(await step('义务教育均衡').findByText('定义中没有均衡标准（均衡标准表）。')).toBeInTheDocument();
  });

  it('shows each standard and stage: the CVs, the 综合 and the verdict, with the CV over its limit marked', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const eq = step('义务教育均衡');
    const basic = within(await eq.findByRole('region', { name: '基本均衡 · 小学' }));
    const table = basic.getByRole('table', { name: /基本均衡 · 小学/ });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['指标', '差异系数', '状态']);
    expect(within(table).getByRole('row', { name: /综合/ })).toHaveTextContent('0.334');
    expect(within(table).getByRole('row', { name: /综合/ })).toHaveTextContent('标准 ≤ 0.65');
    expect(basic.getByRole('status')).toHaveTextContent('综合差异系数 0.334（标准 ≤ 0.65）：达标（20 所（部）参评）');

    const quality = within(eq.getByRole('region', { name: '优质均衡 · 初中' }));
    const rows = within(quality.getByRole('table')).getAllByRole('row').slice(1, 3);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['0.210', '达标'],
      ['0.520', '未达标'],
    ]);
    expect(quality.getByRole('table')).toHaveTextContent('未达标');
    const failing = quality.getByRole('list', { name: '优质均衡 · 初中 未达到底线要求的学校' });
    expect(within(failing).getByRole('listitem')).toHaveTextContent('第二中学（3401020002）：1 项未达底线，最低只达到底线的 70.0%');
  });

  it('goes to the school’s cell in Excel when a failing school is picked', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    await user.click(await step('义务教育均衡').findByRole('button', { name: '定位到 填报表!D40' }));
    expect(service.showCell).toHaveBeenCalledWith({ file: '第二中学.xlsx', sheet: '填报表', cell: 'D40' });
  });

  it('shows the cell under the school on the standalone page, and not in the validate step', async () => {
    const service = fakeService('file', { showCell: vi.fn(async () => ({ file: '第二中学.xlsx', sheet: '填报表', cell: 'D40', value: '4,100', label: '体育运动场馆面积' })) });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const eq = step('义务教育均衡');
    await user.click(await eq.findByRole('button', { name: '查看 填报表!D40' }));
    const item = within(eq.getByRole('list', { name: /未达到底线要求的学校/ })).getByRole('listitem');
    expect(await within(item).findByText(/体育运动场馆面积/)).toBeInTheDocument();
    expect(step('校验').queryByText(/体育运动场馆面积/)).toBeNull();
  });

  it('speaks English', async () => {
    const { user, step } = renderPane(fakeService('file'), 'en-US');
    await readyPage(user, step, 'en-US');
    await user.click(step('Consolidate').getByRole('button', { name: /consolidat/i }));
    const eq = step('Compulsory-education balance');
    expect(await eq.findByRole('region', { name: 'Quality balance · Junior secondary' })).toBeInTheDocument();
    expect(eq.getByText(/1 floor not met; the lowest at 70.0% of its floor/)).toBeInTheDocument();
  });
});
