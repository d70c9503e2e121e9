// @vitest-environment jsdom
import './setup';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { issueMessage } from '../../src/core/messages';
import type { Issue } from '../../src/core/types';
import { fakeService, PRESET_VIEW } from './fakeService';
import { renderPane } from './render';

describe('definitions step', () => {
  it('creates the definitions from the preset in the pane language and says they are fine', async () => {
    const service = fakeService('excel');
    const { user, step } = renderPane(service);
    const defs = step('指标定义');
    await user.click(defs.getByRole('button', { name: '用内置模板创建' }));
    expect(service.createFromPreset).toHaveBeenCalledTimes(1);
    expect(service.createFromPreset.mock.calls[0]![0]).toBe('zh-CN');
    const box = await defs.findByRole('status', { name: '当前定义' });
    expect([...box.children].map((line) => line.textContent)).toEqual(['内置模板', '32 项指标、12 条校验规则、12 个比率、2 项均衡标准，名册 45 所学校']);
    expect(defs.getByText('定义检查通过。')).toBeInTheDocument();
  });

  it('shows the problems of the definitions on the field and as a list', async () => {
    const issues: Issue[] = [
      { code: 'def.unknown_code', severity: 'error', sheet: '比率', cell: 'C4', subject: 'R_X', field: 'numerator', params: { code: 'STUDENT' } },
      { code: 'def.bad_value', severity: 'warning', sheet: '指标', cell: 'F9', subject: 'BOOKS', field: 'max', params: { value: 'abc' } },
    ];
    const service = fakeService('excel', { checkDefinitions: async () => ({ ...PRESET_VIEW, source: 'sheets', issues }) });
    const { user, step } = renderPane(service);
    const defs = step('指标定义');
    await user.click(defs.getByRole('button', { name: '检查定义' }));
    expect(await defs.findByText('定义中有 1 个错误、1 个警告。')).toBeInTheDocument();
    expect(defs.getByRole('status', { name: '当前定义' })).toHaveTextContent('本工作簿的定义工作表');
    const list = defs.getByRole('list', { name: '定义中的问题' });
    const items = list.querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('比率!C4');
    expect(items[0]).toHaveTextContent(issueMessage(issues[0]!, 'zh-CN'));
    expect(items[1]).toHaveTextContent(issueMessage(issues[1]!, 'zh-CN'));
  });

  it('says when the definitions cannot be read at all', async () => {
    const issues: Issue[] = [{ code: 'def.missing_sheet', severity: 'error', sheet: '指标', params: { sheet: '指标' } }];
    const service = fakeService('excel', {
      checkDefinitions: async () => ({ ready: false, source: 'sheets', indicators: 0, rules: 0, rates: 0, dispersions: 0, standards: 0, schools: 0, issues }),
    });
    const { user, step } = renderPane(service);
    await user.click(step('指标定义').getByRole('button', { name: '检查定义' }));
    expect(await screen.findByText('无法读取定义，请按下面的问题修改。')).toBeInTheDocument();
  });

  it('loads a definitions file on the standalone page', async () => {
    const service = fakeService('file');
    const { user, step } = renderPane(service);
    const defs = step('指标定义');
    expect(defs.getByRole('button', { name: '打开定义文件…' })).toBeInTheDocument();
    const file = new File([JSON.stringify({ title: 'x' })], 'defs.json', { type: 'application/json' });
    await user.upload(defs.getByLabelText('定义文件'), file);
    await waitFor(() => expect(service.loadDefinitionsFile).toHaveBeenCalledTimes(1));
    const [input] = service.loadDefinitionsFile.mock.calls[0]!;
    expect(input.name).toBe('defs.json');
    expect(new TextDecoder().decode(input.bytes)).toBe('{"title":"x"}');
    await waitFor(() => expect(defs.getByRole('status', { name: '当前定义' })).toHaveTextContent('文件 defs.json'));
  });

  it('offers no definitions file inside Excel, where they live on sheets', () => {
    const { step } = renderPane(fakeService('excel'));
    expect(step('指标定义').queryByRole('button', { name: '打开定义文件…' })).toBeNull();
    expect(step('指标定义').getByText('指标、校验规则、比率和学校名册保存在本工作簿的定义工作表中。')).toBeInTheDocument();
  });
});
