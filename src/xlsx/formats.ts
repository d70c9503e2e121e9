/**
 * Number formats as SpreadsheetML stores them: ids below 164 are built in and never written
 * into styles.xml, so a reader must know them to tell a percent or a date from a plain number.
 */

/** Built-in format codes by id (ECMA-376 Part 1, 18.8.30), with the zh-CN variants of the East Asian ids. */
export const BUILTIN_NUMBER_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  5: '"¥"#,##0_);("¥"#,##0)',
  6: '"¥"#,##0_);[Red]("¥"#,##0)',
  7: '"¥"#,##0.00_);("¥"#,##0.00)',
  8: '"¥"#,##0.00_);[Red]("¥"#,##0.00)',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'yyyy/m/d',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy/m/d h:mm',
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
  42: '_("¥"* #,##0_);_("¥"* (#,##0);_("¥"* "-"_);_(@_)',
  43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
  44: '_("¥"* #,##0.00_);_("¥"* (#,##0.00);_("¥"* "-"??_);_(@_)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
  48: '##0.0E+0',
  49: '@',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

/** True for `General` (any case) or an empty code: the format that changes nothing. */
export function isGeneralFormat(code: string): boolean {
  return code === '' || code.toLowerCase() === 'general';
}

/**
 * True when a format code shows a date or time: after dropping quoted text, escaped characters and
 * bracketed colours or locales (but keeping elapsed `[h]`), a y, m, d, h, s or e token remains in
 * the first section.
 */
export function isDateFormat(code: string): boolean {
  if (isGeneralFormat(code)) return false;
  let inQuote = false;
  let inBracket = false;
  let bracket = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (inQuote) {
      if (ch === '"') inQuote = false;
      continue;
    }
    if (inBracket) {
      if (ch === ']') {
        inBracket = false;
        if (/^(h+|m+|s+)$/i.test(bracket)) return true;
      } else {
        bracket += ch;
      }
      continue;
    }
    switch (ch) {
      case '"':
        inQuote = true;
        break;
      case '\\':
      case '_':
      case '*':
        i++;
        break;
      case '[':
        inBracket = true;
        bracket = '';
        break;
      case ';':
        return false;
      default:
        if ((ch === 'G' || ch === 'g') && code.slice(i, i + 7).toLowerCase() === 'general') {
          i += 6;
          break;
        }
        if ('yYmMdDhHsSeE'.includes(ch)) {
          // `E+` / `e-` belongs to scientific notation, not an era year.
          if ((ch === 'e' || ch === 'E') && (code[i + 1] === '+' || code[i + 1] === '-')) break;
          return true;
        }
    }
  }
  return false;
}

/**
 * True when a format code shows a calendar date (a year, a month, a day or an era), not only a time of
 * day or a duration (`h:mm`, `[h]:mm:ss`, `mm:ss`): only such serials depend on the workbook's date
 * system. An `m` is a minute right after an hour or right before a second, as Excel reads it.
 */
export function showsCalendarDate(code: string): boolean {
  if (!isDateFormat(code)) return false;
  const section = dateTokens(code);
  for (let k = 0; k < section.length; k++) {
    const t = section[k]!;
    if (t === 'y' || t === 'd' || t === 'e' || t === 'g' || t === 'b') return true;
    if (t !== 'm') continue;
    const before = section[k - 1];
    const after = section[k + 1];
    if (before !== 'h' && after !== 's') return true;
  }
  return false;
}

/** The date and time letters of a format's first section, each run of one letter as one token (`yyyy-mm-dd` → y m d). */
function dateTokens(code: string): string[] {
  const out: string[] = [];
  let inQuote = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (inQuote) {
      if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === '\\' || ch === '_' || ch === '*') i++;
    else if (ch === ';') break;
    else if (ch === '[') {
      const close = code.indexOf(']', i);
      const inner = close < 0 ? '' : code.slice(i + 1, close).toLowerCase();
      // Elapsed time `[h]`, `[mm]`, `[ss]` is a duration token; colours and locales are not tokens.
      if (/^(h+|m+|s+)$/.test(inner)) out.push(inner[0] === 'm' ? 'M' : inner[0]!);
      i = close < 0 ? code.length : close;
    } else if ((ch === 'G' || ch === 'g') && code.slice(i, i + 7).toLowerCase() === 'general') i += 6;
    else if ((ch === 'A' || ch === 'a') && /^a(m\/pm|\/p)/i.test(code.slice(i))) i += code[i + 1] === '/' ? 2 : 4;
    else {
      const t = ch.toLowerCase();
      if (!'ymdhsebg'.includes(t)) continue;
      // `E+` / `e-` belongs to scientific notation, not an era year.
      if (t === 'e' && (code[i + 1] === '+' || code[i + 1] === '-')) continue;
      if (!sameRun(code, i)) out.push(t);
    }
  }
  return out;
}

/** True when the character before `i` is the same letter (one run, `yyyy`). */
function sameRun(code: string, i: number): boolean {
  return i > 0 && code[i - 1]!.toLowerCase() === code[i]!.toLowerCase();
}
