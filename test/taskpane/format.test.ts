import { describe, expect, it } from 'vitest';
import { formatRate, formatTarget } from '../../src/taskpane/format';
import { errorText, formatPercent } from '../../src/taskpane/i18n';
import { PaneError } from '../../src/taskpane/service';
import { themeFromOffice } from '../../src/taskpane/useOfficeTheme';
import { webDarkTheme, webLightTheme } from '@fluentui/react-components';

describe('pane formatting', () => {
  it('prints rates with their unit and decimals, and targets with ≥ ≤', () => {
    expect(formatRate(88.8391, 100, 2, 'zh-CN')).toBe('88.84%');
    expect(formatRate(5.4, 1, 2, 'en-US')).toBe('5.40');
    expect(formatRate(null, 100, 2, 'en-US')).toBe('—');
    expect(formatRate(Number.NaN, 100, 2, 'en-US')).toBe('—');
    expect(formatTarget({ op: '>=', value: 96 }, 100, 'zh-CN')).toBe('≥ 96%');
    expect(formatTarget({ op: '<=', value: 0.45 }, 1, 'en-US')).toBe('≤ 0.45');
    // As the definitions write it, as the chart's title and the text report do: not padded to two decimals.
    expect(formatTarget({ op: '>=', value: 95.5 }, 100, 'zh-CN')).toBe('≥ 95.5%');
    expect(formatTarget(undefined, 100, 'en-US')).toBe('—');
    expect(formatPercent(44 / 45, 'zh-CN')).toBe('97.8%');
  });

  it('words the pane’s own errors in both languages, with a detail for unexpected ones', () => {
    expect(errorText(new PaneError('no_definitions'), 'zh-CN')).toEqual({ message: '请先创建或载入指标定义。' });
    expect(errorText(new PaneError('unsupported_file', { file: 'a.xls' }), 'en-US').message).toBe('Cannot read a.xls: only .xlsx and .json are supported.');
    expect(errorText(new PaneError('worker_failed', {}, 'TypeError: boom'), 'en-US')).toEqual({ message: 'The background computation failed.', detail: 'Details: TypeError: boom' });
    const cap = Object.assign(new Error('ExcelApi 1.13'), { name: 'ExcelCapabilityError', requirement: 'ExcelApi 1.13' });
    expect(errorText(cap, 'zh-CN').message).toContain('需要 ExcelApi 1.13');
    expect(errorText('odd', 'en-US')).toEqual({ message: 'Something unexpected went wrong.', detail: 'Details: odd' });
  });

  it('takes Office’s theme colours: dark or light base, its body colours on top', () => {
    const dark = themeFromOffice({ isDarkTheme: true, bodyBackgroundColor: '#262626', bodyForegroundColor: 'FFFFFF' }, false);
    expect(dark.colorNeutralBackground1).toBe('#262626');
    expect(dark.colorNeutralForeground1).toBe('#FFFFFF');
    expect(dark.colorBrandBackground).toBe(webDarkTheme.colorBrandBackground);
    const light = themeFromOffice({ isDarkTheme: false, bodyBackgroundColor: 'not a colour' }, true);
    expect(light.colorNeutralBackground1).toBe(webLightTheme.colorNeutralBackground1);
    expect(themeFromOffice(undefined, true).colorNeutralBackground1).toBe(webDarkTheme.colorNeutralBackground1);
  });
});
