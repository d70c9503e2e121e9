// @vitest-environment jsdom
import './setup';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeService } from './fakeService';
import { renderPane } from './render';

describe('the next step', () => {
  it('on the standalone page, says under validation and consolidation what is still missing, until it is there', async () => {
    const service = fakeService('file', {
      importFiles: async (files) => files.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] })),
    });
    const { user, step } = renderPane(service);
    expect(step('校验').getByText('还缺：定义（用内置模板创建，或打开定义文件）。')).toBeInTheDocument();
    expect(step('汇总').getByText('还缺：定义（用内置模板创建，或打开定义文件）。')).toBeInTheDocument();
    // Held back until their inputs are there.
    expect(step('校验').getByRole('button', { name: '开始校验' })).toBeDisabled();
    expect(step('汇总').getByRole('button', { name: '开始汇总' })).toBeDisabled();
    await user.click(step('指标定义').getByRole('button', { name: '用内置模板创建' }));
    expect(await step('校验').findByText('还缺：学校文件（在第 2 步选择）。')).toBeInTheDocument();
    await user.upload(step('导入学校文件').getByLabelText('学校文件'), [new File(['a'], '第一小学.xlsx')]);
    await step('导入学校文件').findByText('已导入 1 个文件。');
    expect(step('校验').queryByText(/^还缺/)).toBeNull();
    expect(step('校验').getByRole('button', { name: '开始校验' })).toBeEnabled();
    // Consolidating before validating is allowed, with a word of advice; after validating, nothing more is said.
    expect(step('汇总').getByText('建议先校验：汇总前看一看各校的问题。')).toBeInTheDocument();
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    await step('校验').findByText(/共 2 份填报/);
    expect(step('汇总').queryByText('建议先校验：汇总前看一看各校的问题。')).toBeNull();
  });

  it('in Excel, where the workbook may already hold everything, asks for nothing first', () => {
    const { step } = renderPane(fakeService('excel'));
    expect(step('校验').queryByText(/^还缺/)).toBeNull();
  });

  it('puts focus on what a long action produced: the import, validation and result lines', async () => {
    const service = fakeService('file', {
      importFiles: async (files) => files.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] })),
    });
    const { user, step } = renderPane(service);
    await user.click(step('指标定义').getByRole('button', { name: '用内置模板创建' }));
    await user.upload(step('导入学校文件').getByLabelText('学校文件'), [new File(['a'], '第一小学.xlsx')]);
    await waitFor(() => expect(document.activeElement).toHaveTextContent('已导入 1 个文件。'));
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/共 2 份填报/));
    await user.click(step('汇总').getByRole('button', { name: '开始汇总' }));
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/已报送 44 \/ 45 所/));
    expect(document.activeElement?.getAttribute('role')).toBe('status');
  });
});
