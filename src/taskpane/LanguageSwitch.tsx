/** The manual language switch: 中文 or English. */
import { Field, makeStyles, Select } from '@fluentui/react-components';
import type { Lang } from '../core/types';
import { STRINGS } from './i18n';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({ field: { minWidth: '7em' } });

const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];

/** A labelled select of the two languages. */
export function LanguageSwitch() {
  const { lang, setLang } = useLang();
  const t = useStrings();
  const styles = useStyles();
  return (
    <Field label={`${t.language} / ${lang === 'zh-CN' ? STRINGS['en-US'].language : STRINGS['zh-CN'].language}`} className={styles.field} orientation="horizontal">
      <Select size="small" value={lang} onChange={(_e, d) => setLang(d.value === 'en-US' ? 'en-US' : 'zh-CN')}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {t.langName[l]}
          </option>
        ))}
      </Select>
    </Field>
  );
}
