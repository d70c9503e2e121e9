/** Renders the whole pane over a service, with a fixed light theme, and a user to drive it. */
import { webLightTheme } from '@fluentui/react-components';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Lang } from '../../src/core/types';
import { App } from '../../src/taskpane/App';
import type { HuizongService } from '../../src/taskpane/service';

/** The pane, a user, and the region of a step found by its heading. */
export function renderPane(service: HuizongService, lang: Lang = 'zh-CN') {
  const user = userEvent.setup();
  const view = render(<App service={service} initialLang={lang} theme={webLightTheme} />);
  const step = (name: string | RegExp) => within(screen.getByRole('region', { name }));
  return { user, step, ...view };
}

/**
 * The page made ready to validate, as a clerk would: definitions from the preset, one school file
 * imported (the fake service's `importFiles` says which). The standalone page holds validation and
 * consolidation back until both are there.
 */
export async function readyPage(user: ReturnType<typeof userEvent.setup>, step: (name: string | RegExp) => ReturnType<typeof within>, lang: Lang = 'zh-CN'): Promise<void> {
  const zh = lang === 'zh-CN';
  await user.click(step(zh ? '指标定义' : 'Definitions').getByRole('button', { name: zh ? '用内置模板创建' : 'Create from preset' }));
  const imports = step(zh ? '导入学校文件' : 'Import school files');
  await user.upload(imports.getByLabelText(zh ? '学校文件' : 'School files'), new File(['a'], '第一小学.xlsx'));
  await imports.findByRole('status');
}
