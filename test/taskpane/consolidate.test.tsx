// @vitest-environment jsdom
import './setup';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Lang } from '../../src/core/types';
import type { ConsolidateChoices, ResultView, RunControl } from '../../src/taskpane/service';
import { CancelledError } from '../../src/taskpane/service';
import { fakeService, RESULT } from './fakeService';
import { readyPage, renderPane } from './render';

describe('consolidate step', () => {
  it('passes the clerk’s choices and language to the service', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    const con = step('汇总');
    expect(con.getByRole('checkbox', { name: '按学段小计' })).toBeChecked();
    await user.click(con.getByRole('checkbox', { name: '按乡镇（街道）小计' }));
    await user.click(con.getByRole('radio', { name: '公式（随学校工作表自动更新）' }));
    await user.click(con.getByRole('switch', { name: '有错误的学校也计入汇总' }));
    await user.click(con.getByRole('button', { name: '开始汇总' }));
    expect(service.consolidate).toHaveBeenCalledTimes(1);
    const [choices, lang] = service.consolidate.mock.calls[0]!;
    expect(choices).toEqual({ groupBy: ['stage'], mode: 'formulas', includeSchoolsWithErrors: true, writeRates: true });
    expect(lang).toBe('zh-CN');
  });

  it('turns off writing rates back and both subtotals', async () => {
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    const con = step('汇总');
    await user.click(con.getByRole('checkbox', { name: '按学段小计' }));
    await user.click(con.getByRole('checkbox', { name: '按乡镇（街道）小计' }));
    await user.click(con.getByRole('switch', { name: '把比率写回学校工作表' }));
    await user.click(con.getByRole('button', { name: '开始汇总' }));
    expect(service.consolidate.mock.calls[0]![0]).toEqual({ groupBy: [], mode: 'values', includeSchoolsWithErrors: false, writeRates: false });
  });

  it('shows progress while working and cancels through the signal', async () => {
    let seen: RunControl | null = null;
    const service = fakeService('excel', {
      consolidate: vi.fn(
        (_c: ConsolidateChoices, _l: Lang, ctl: RunControl) =>
          new Promise<ResultView>((_resolve, reject) => {
            seen = ctl;
            ctl.onProgress({ phase: 'consolidating', fraction: 0.4 });
            ctl.signal.addEventListener('abort', () => reject(new CancelledError()));
          }),
      ),
    });
    const { user, step } = renderPane(service);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    const bar = await screen.findByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '0.4');
    expect(screen.getByText('正在汇总…')).toBeInTheDocument();
    expect(step('汇总').getByRole('button', { name: '开始汇总' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: '取消' }));
    expect(seen!.signal.aborted).toBe(true);
    expect(await screen.findByText('已取消，工作簿未作改动。')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(step('汇总').getByRole('button', { name: '开始汇总' })).toBeEnabled();
    expect(screen.queryByText(String(RESULT.schoolsIncluded))).toBeNull();
  });
});

describe('cancelling while Excel is being written', () => {
  it('does not claim the workbook is unchanged', async () => {
    const service = fakeService('excel', {
      consolidate: vi.fn(
        (_c: ConsolidateChoices, _l: Lang, ctl: RunControl) =>
          new Promise<ResultView>((_resolve, reject) => {
            ctl.onProgress({ phase: 'writing', fraction: 0.5 });
            ctl.signal.addEventListener('abort', () => reject(new CancelledError()));
          }),
      ),
    });
    const { user, step } = renderPane(service);
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    await screen.findByRole('progressbar');
    await user.click(screen.getByRole('button', { name: '取消' }));
    expect(await screen.findByText(/取消时正在写入工作簿：新的汇总表可能已经写入/)).toBeInTheDocument();
    expect(screen.queryByText('已取消，工作簿未作改动。')).toBeNull();
  });
});
