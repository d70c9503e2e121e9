// @vitest-environment jsdom
import './setup';
import { within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeService, RESULT } from './fakeService';
import { readyPage, renderPane } from './render';

describe('result step', () => {
  it('shows completeness with the missing and unknown schools', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const res = step('结果');
    expect(await res.findByText(/已报送 44 \/ 45 所（97\.8%）/)).toHaveTextContent('42 所学校计入汇总，2 所未计入。');
    expect(within(res.getByRole('list', { name: '未报送的学校' })).getByRole('listitem')).toHaveTextContent('第四十五小学（3401020045） · 小学 · 城关镇');
    expect(within(res.getByRole('list', { name: '名册以外的学校代码' })).getByRole('listitem')).toHaveTextContent('3401029999');
  });

  it('says plainly when this Excel cannot set how the sheets print', async () => {
    const service = fakeService('excel', { consolidate: async () => ({ ...RESULT, printSetupLacking: 'ExcelApi 1.9' }) });
    const { user, step } = renderPane(service);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    expect(await step('结果').findByText(/此版本 Excel 不支持设置打印格式（需要 ExcelApi 1\.9）/)).toBeInTheDocument();
  });

  it('lists as many schools left out as it counts, and a second copy not used apart from them', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const res = step('结果');
    expect(await res.findByText(/已报送 44/)).toHaveTextContent('2 所未计入');
    const left = within(res.getByRole('list', { name: '未计入汇总的学校' })).getAllByRole('listitem');
    expect(left.map((li) => li.textContent)).toEqual(['第一小学（2 个错误：校验规则未通过、不是数字）', '第七小学（1 个错误：学校不在名册）']);
    expect(left).toHaveLength(RESULT.schoolsExcluded);
    const second = within(res.getByRole('list', { name: '另有 1 份重复报送未采用（该校按另一份计入）' })).getAllByRole('listitem');
    expect(second.map((li) => li.textContent)).toEqual(['第二中学（重复报送，采用该校的另一份）']);
  });

  it('draws the percentage rates as an accessible chart with a table of the figures', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const res = step('结果');
    const chart = await res.findByRole('img', { name: '全区比率条形图：2 个比率，1 个达标，1 个未达标。' });
    expect(chart.querySelectorAll('rect')).toHaveLength(4);
    expect(chart.querySelectorAll('line')).toHaveLength(2);
    // A legend says what the colours and the dashed mark are: only the states the chart shows.
    const legend = chart.closest('figure')!.querySelector('figcaption')!;
    expect([...legend.querySelectorAll('span')].map((s) => s.textContent)).toEqual(['达标', '未达标', '目标值']);
    const table = res.getByRole('table', { name: '全区比率数据' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['97.50%', '≥ 96%', '达标'],
      ['35.2%', '≥ 40%', '未达标'],
    ]);
    expect(res.getByText(/生均教学用房面积/)).toHaveTextContent('生均教学用房面积：5.43');
    const cv = res.getByRole('table', { name: '校际差异系数' });
    expect(within(cv).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['比率', '差异系数', '上限', '状态']);
    expect(within(cv).getByRole('row', { name: /生均图书/ })).toHaveTextContent('0.334');
  });

  it('goes to the summary sheet inside Excel', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    await user.click(await step('结果').findByRole('button', { name: '打开全区汇总表' }));
    expect(service.openSummary).toHaveBeenCalledTimes(1);
  });

  it('downloads the district workbook on the standalone page', async () => {
    const createObjectURL = vi.fn(() => 'blob:huizong');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    await user.click(await step('结果').findByRole('button', { name: '下载全区汇总工作簿' }));
    await vi.waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(service.download).toHaveBeenCalledTimes(1);
    const anchor = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(anchor.download).toBe('全区汇总.xlsx');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('names the school sheets a password kept its rates and marks out of', async () => {
    const { user, step } = renderPane(fakeService('excel', { consolidate: async () => ({ ...RESULT, lockedSheets: ['第一小学', '第二中学'] }) }));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    expect(await step('结果').findByText(/以下学校工作表设有密码保护，未写入比率和标记：第一小学、第二中学/)).toBeInTheDocument();
  });
});
