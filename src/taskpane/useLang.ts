/** The pane's language, shared through context, and the string table for it. */
import { createContext, useContext } from 'react';
import type { Lang } from '../core/types';
import { STRINGS, type Strings } from './i18n';

/** The current language and a way to change it. */
export interface LangState {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

/** Provided by `App`. */
export const LangContext = createContext<LangState>({ lang: 'zh-CN', setLang: () => {} });

/** The current language and its setter. */
export function useLang(): LangState {
  return useContext(LangContext);
}

/** The string table of the current language. */
export function useStrings(): Strings {
  return STRINGS[useContext(LangContext).lang];
}
