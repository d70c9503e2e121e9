/** The pane with its providers: Fluent theme (Office's colours where known) and the language. */
import { FluentProvider, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { Lang } from '../core/types';
import { STRINGS } from './i18n';
import { Pane } from './Pane';
import type { HuizongService } from './service';
import type { SessionStore } from './sessionStore';
import { LangContext } from './useLang';
import { useOfficeTheme } from './useOfficeTheme';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
});

/** Props of `App`. */
export interface AppProps {
  readonly service: HuizongService;
  /** Language to start in (Office's display language, or the page's `?lang=`). */
  readonly initialLang: Lang;
  /** A fixed theme (tests); otherwise Office's or the system's. */
  readonly theme?: Theme;
  /** Standalone: where the clerk's work is kept between visits. */
  readonly session?: SessionStore;
}

/** The pane. */
export function App({ service, initialLang, theme, session }: AppProps) {
  const styles = useStyles();
  const [lang, setLang] = useState<Lang>(initialLang);
  const officeTheme = useOfficeTheme();
  const langState = useMemo(() => ({ lang, setLang }), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    // The tab's title follows the language too.
    document.title = STRINGS[lang].pageTitle;
  }, [lang]);
  return (
    <FluentProvider theme={theme ?? officeTheme} className={styles.root} lang={lang}>
      <LangContext.Provider value={langState}>
        <Pane service={service} {...(session !== undefined ? { session } : {})} />
      </LangContext.Provider>
    </FluentProvider>
  );
}
