// @vitest-environment jsdom
import './setup';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { issueMessage } from '../../src/core/messages';
import type { Issue } from '../../src/core/types';
import { fakeService } from './fakeService';
import { readyPage, renderPane } from './render';

describe('import step', () => {
  it('hands every picked file to the service and shows each file’s status', async () => {
    const bad: Issue = { code: 'file.encrypted', severity: 'error', file: '加密.xlsx', params: {} };
    const service = fakeService('excel', {
      importFiles: async (files) =>
        files.map((f) =>
          f.name === '加密.xlsx'
            ? { name: f.name, status: 'failed' as const, sheets: [], issues: [bad] }
            : { name: f.name, status: 'ok' as const, sheets: ['3401020001'], via: 'values' as const, issues: [] },
        ),
    });
    const { user, step } = renderPane(service);
    const imp = step('导入学校文件');
    expect(imp.getByText('还没有导入文件。')).toBeInTheDocument();
    await user.upload(imp.getByLabelText('学校文件'), [new File(['a'], '第一小学.xlsx'), new File(['b'], '加密.xlsx')]);
    const list = await imp.findByRole('list', { name: '已导入的文件' });
    const items = list.querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('第一小学.xlsx');
    expect(items[0]).toHaveTextContent('已导入');
    expect(items[0]).toHaveTextContent('工作表：3401020001 （仅导入了数值）');
    expect(items[1]).toHaveTextContent('未导入');
    expect(items[1]).toHaveTextContent(issueMessage(bad, 'zh-CN'));
    expect(imp.getByRole('status')).toHaveTextContent('已导入 1 个文件，1 个未导入。');
  });

  it('reads the files into bytes and can clear them on the standalone page', async () => {
    const service = fakeService('file', {
      importFiles: async (files) => files.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] })),
    });
    const { user, step } = renderPane(service);
    const imp = step('导入学校文件');
    await user.upload(imp.getByLabelText('学校文件'), new File([new Uint8Array([1, 2, 3])], 'a.xlsx'));
    await waitFor(() => expect(service.importFiles).toHaveBeenCalledTimes(1));
    expect([...service.importFiles.mock.calls[0]![0][0]!.bytes]).toEqual([1, 2, 3]);
    await user.click(await imp.findByRole('button', { name: '清空已导入的文件' }));
    expect(service.clearFiles).toHaveBeenCalledTimes(1);
    expect(await imp.findByText('还没有导入文件。')).toBeInTheDocument();
  });
});

describe('removing one file', () => {
  it('forgets just that file on the standalone page', async () => {
    const service = fakeService('file', {
      importFiles: async (files) => files.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] })),
    });
    const { user, step } = renderPane(service);
    const imp = step('导入学校文件');
    await user.upload(imp.getByLabelText('学校文件'), [new File(['a'], '一小.xlsx'), new File(['b'], '二小.xlsx')]);
    await user.click(await imp.findByRole('button', { name: '移除 二小.xlsx' }));
    await waitFor(() => expect(service.removeFile).toHaveBeenCalledWith('二小.xlsx'));
    await waitFor(() => expect(imp.getByRole('list', { name: '已导入的文件' }).querySelectorAll('li')).toHaveLength(1));
    expect(imp.getByRole('status')).toHaveTextContent('已导入 1 个文件。');
  });

  it('is not offered in Excel, where a file became a sheet of the workbook', async () => {
    const excel = renderPane(fakeService('excel', { importFiles: async (files) => files.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['S'], issues: [] })) }));
    const xImp = excel.step('导入学校文件');
    await excel.user.upload(xImp.getByLabelText('学校文件'), [new File(['a'], '一小.xlsx')]);
    await xImp.findByRole('list', { name: '已导入的文件' });
    expect(xImp.queryByRole('button', { name: '移除 一小.xlsx' })).toBeNull();
  });
});

describe('files that could not be imported', () => {
  it('are named beside the validation’s count, not silently left out', async () => {
    const service = fakeService('file', {
      importFiles: async (files) => files.map((f) => (f.name === '坏.xlsx' ? { name: f.name, status: 'failed' as const, sheets: [], issues: [] } : { name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] })),
    });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.upload(step('导入学校文件').getByLabelText('学校文件'), [new File(['a'], '一小.xlsx'), new File(['b'], '坏.xlsx')]);
    await step('导入学校文件').findByRole('list', { name: '已导入的文件' });
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    expect(await step('校验').findByText(/另有 1 个文件未能导入，不在校验之内：坏\.xlsx。/)).toBeInTheDocument();
  });
});
