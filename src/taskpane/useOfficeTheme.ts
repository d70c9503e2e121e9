/**
 * The Fluent theme for the pane: Office's own theme colours inside Office (light or dark, with its
 * body colours), the system's light or dark preference on the standalone page.
 */
import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';

/** What the pane reads of `Office.context.officeTheme`. */
export interface OfficeThemeColors {
  readonly isDarkTheme?: boolean;
  readonly bodyBackgroundColor?: string;
  readonly bodyForegroundColor?: string;
}

const HEX = /^#?[0-9a-f]{6}$/i;

function hex(c: string | undefined): string | undefined {
  if (c === undefined || !HEX.test(c)) return undefined;
  return c.startsWith('#') ? c : `#${c}`;
}

/** A Fluent theme from Office's theme colours: dark or light base, Office's body colours on top. */
export function themeFromOffice(colors: OfficeThemeColors | undefined, prefersDark: boolean): Theme {
  const dark = colors?.isDarkTheme ?? prefersDark;
  const base = dark ? webDarkTheme : webLightTheme;
  const bg = hex(colors?.bodyBackgroundColor);
  const fg = hex(colors?.bodyForegroundColor);
  return { ...base, ...(bg ? { colorNeutralBackground1: bg } : {}), ...(fg ? { colorNeutralForeground1: fg } : {}) };
}

function officeColors(): OfficeThemeColors | undefined {
  try {
    return typeof Office !== 'undefined' ? Office.context?.officeTheme : undefined;
  } catch {
    return undefined;
  }
}

function prefersDarkNow(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The pane's theme, following the system preference while no Office theme is known. */
export function useOfficeTheme(): Theme {
  const [prefersDark, setPrefersDark] = useState(prefersDarkNow);
  useEffect(() => {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = (): void => setPrefersDark(mq.matches);
    mq.addEventListener?.('change', onChange);
    return () => mq.removeEventListener?.('change', onChange);
  }, []);
  const colors = officeColors();
  const dark = colors?.isDarkTheme;
  const bg = colors?.bodyBackgroundColor;
  const fg = colors?.bodyForegroundColor;
  return useMemo(
    () => themeFromOffice({ ...(dark !== undefined ? { isDarkTheme: dark } : {}), ...(bg ? { bodyBackgroundColor: bg } : {}), ...(fg ? { bodyForegroundColor: fg } : {}) }, prefersDark),
    [dark, bg, fg, prefersDark],
  );
}
