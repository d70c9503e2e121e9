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
