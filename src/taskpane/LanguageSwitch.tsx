/** The manual language switch: 中文 or English. */
import { Label, makeStyles, Select, tokens, useId } from '@fluentui/react-components';
import type { Lang } from '../core/types';
import { STRINGS } from './i18n';
import { useLang, useStrings } from './useLang';

// The bilingual label stays on one line beside the select (wrapped, it took three lines at 350 px); the two
// go under the title together when the header is narrow.
const useStyles = makeStyles({
  field: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexShrink: 0 },
  label: { whiteSpace: 'nowrap' },
  select: { minWidth: '7em' },
});

const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];

/** A labelled select of the two languages. */
export function LanguageSwitch() {
  const { lang, setLang } = useLang();
  const t = useStrings();
  const styles = useStyles();
  const id = useId('lang-');
  return (
    <div className={styles.field}>
      <Label htmlFor={id} size="small" className={styles.label}>
        {`${t.language} / ${lang === 'zh-CN' ? STRINGS['en-US'].language : STRINGS['zh-CN'].language}`}
      </Label>
      <Select id={id} size="small" className={styles.select} value={lang} onChange={(_e, d) => setLang(d.value === 'en-US' ? 'en-US' : 'zh-CN')}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {t.langName[l]}
          </option>
        ))}
      </Select>
    </div>
  );
}
