// @vitest-environment jsdom
import './setup';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { issueMessage } from '../../src/core/messages';
import { detectLang, STRINGS } from '../../src/taskpane/i18n';
import { fakeService, ISSUES } from './fakeService';
import { readyPage, renderPane } from './render';

describe('language', () => {
  it('follows Office’s display language: English for en…, Chinese otherwise', () => {
    expect(detectLang('en-GB')).toBe('en-US');
    expect(detectLang('EN-us')).toBe('en-US');
    expect(detectLang('zh-CN')).toBe('zh-CN');
    expect(detectLang('zh-TW')).toBe('zh-CN');
    expect(detectLang('fr-FR')).toBe('zh-CN');
    expect(detectLang(undefined)).toBe('zh-CN');
  });

  it('has the same keys in both tables', () => {
    expect(Object.keys(STRINGS['en-US']).sort()).toEqual(Object.keys(STRINGS['zh-CN']).sort());
  });

  it('switches every text, including issue messages, when the clerk picks English', async () => {
    const { user, step } = renderPane(fakeService('excel'));
    expect(screen.getByRole('heading', { level: 2, name: '指标定义' })).toBeInTheDocument();
    expect(document.title).toBe('汇总 Huizong — 学校填报表校验与汇总');
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    await user.click(await step('校验').findByRole('button', { name: /第一小学/ }));
    expect(screen.getByText(issueMessage(ISSUES[0]!, 'zh-CN'))).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: '界面语言 / Language' }), 'English');
    expect(screen.getByRole('heading', { level: 2, name: 'Definitions' })).toBeInTheDocument();
    expect(document.title).toBe('Huizong — check and consolidate school sheets');
    expect(screen.getByRole('heading', { level: 2, name: 'Consolidate' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create from preset' })).toBeInTheDocument();
    expect(screen.getByText('2 school sheets: 3 errors, 1 warning, 0 notes.')).toBeInTheDocument();
    expect(screen.getByText(issueMessage(ISSUES[0]!, 'en-US'))).toBeInTheDocument();
    expect(screen.queryByText('指标定义')).toBeNull();
    expect(document.documentElement.lang).toBe('en-US');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Language / 界面语言' }), '中文');
    expect(screen.getByRole('heading', { level: 2, name: '指标定义' })).toBeInTheDocument();
  });

  it('re-words a shown error in the new language', async () => {
    const service = fakeService('file', { validate: async () => Promise.reject(new Error('boom')) });
    const { user, step } = renderPane(service);
    await readyPage(user, step);
    await user.click(step('校验').getByRole('button', { name: '开始校验' }));
    expect(await screen.findByText('发生了意外错误。')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: '界面语言 / Language' }), 'English');
    expect(screen.getByText('Something unexpected went wrong.')).toBeInTheDocument();
    expect(screen.getByText('Details: boom')).toBeInTheDocument();
  });
});
