/**
 * A small index-based XML scanner for the parts of an .xlsx package. It knows just enough XML for
 * SpreadsheetML as Excel, WPS and LibreOffice write it: elements with or without a namespace
 * prefix (`<x:c>`), quoted attributes, character and predefined entities, CDATA, comments and
 * processing instructions. No DOM, no regular expressions on the hot path, so it runs the same
 * in Node, browsers and workers.
 */

/** One start, end or empty-element tag found by {@link nextTag}. */
export interface Tag {
  /** Local name, without any namespace prefix (`c` for `<x:c>`). */
  name: string;
  /** True for an end tag `</c>`. */
  close: boolean;
  /** True for an empty-element tag `<c/>`. */
  empty: boolean;
  /** Index just after the name, where the attributes start. */
  attrStart: number;
  /** Index just after the closing `>`. */
  end: number;
}

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const COLON = 58; // :
const BANG = 33; // !
const QUESTION = 63; // ?
const DQUOTE = 34;
const SQUOTE = 39;
const EQ = 61;

// Names of one ASCII letter (`c`, `v`, `f`, `t`) without allocating a string for each tag.
const ONE_CHAR: readonly string[] = Array.from({ length: 128 }, (_, k) => String.fromCharCode(k));

/**
 * `s` in storage of its own. A piece cut from a part's text (13 characters or more, in V8) points
 * into that text and keeps all of it alive for as long as the piece lives: a kept school book would
 * carry every file's sheet and shared-string XML to the end of the run. Shorter pieces are copies already.
 */
export function owned(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The tag name from `start` to `end`, shared strings for the names of the hot loops. */
function tagName(s: string, start: number, end: number): string {
  const n = end - start;
  if (n === 1) {
    const c = s.charCodeAt(start);
    if (c < 128) return ONE_CHAR[c]!;
  } else if (n === 3 && s.charCodeAt(start) === 114 && s.charCodeAt(start + 1) === 111 && s.charCodeAt(start + 2) === 119) {
    return 'row';
  } else if (n === 2 && s.charCodeAt(start) === 115 && s.charCodeAt(start + 1) === 105) {
    return 'si';
  }
  return s.slice(start, end);
}

/** True for a character that ends a tag's name (whitespace, `>`, `/`, or the end of the text). */
export function isNameEnd(c: number): boolean {
  return c === 32 || c === GT || c === SLASH || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}

/** Index just after the `>` ending a tag whose attributes start at `i`, respecting quoted values. */
export function tagEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === GT) return i + 1;
    if (c === DQUOTE || c === SQUOTE) {
      const q = s.indexOf(c === DQUOTE ? '"' : "'", i + 1);
      if (q < 0) return n;
      i = q + 1;
    } else {
      i++;
    }
  }
  return n;
}

/**
 * Finds the next element tag at or after `from`, skipping comments, CDATA sections, processing
 * instructions and doctype. Fills and returns `tag`, or returns `null` at the end of the text.
 */
export function nextTag(s: string, from: number, tag: Tag): Tag | null {
  let i = from;
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt < 0) return null;
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === BANG) {
      if (s.startsWith('<!--', lt)) {
        const e = s.indexOf('-->', lt + 4);
        i = e < 0 ? s.length : e + 3;
      } else if (s.startsWith('<![CDATA[', lt)) {
        const e = s.indexOf(']]>', lt + 9);
        i = e < 0 ? s.length : e + 3;
      } else {
        i = tagEnd(s, lt + 2);
      }
      continue;
    }
    if (c1 === QUESTION) {
      const e = s.indexOf('?>', lt + 2);
      i = e < 0 ? s.length : e + 2;
      continue;
    }
    const close = c1 === SLASH;
    let p = close ? lt + 2 : lt + 1;
    let local = p;
    while (!isNameEnd(s.charCodeAt(p))) {
      if (s.charCodeAt(p) === COLON) local = p + 1;
      p++;
    }
    tag.name = tagName(s, local, p);
    tag.close = close;
    tag.attrStart = p;
    const end = tagEnd(s, p);
    tag.end = end;
    tag.empty = !close && s.charCodeAt(end - 2) === SLASH;
    return tag;
  }
}

/** A fresh tag record for {@link nextTag}. */
export function newTag(): Tag {
  return { name: '', close: false, empty: false, attrStart: 0, end: 0 };
}

/**
 * The attributes of a tag (from `attrStart` to its `>`), by local name (`r:id` → `id`), with
 * entities decoded. For the few tags outside the hot cell loop.
 */
export function attributes(s: string, attrStart: number): Record<string, string> {
  // A plain object: callers ask for fixed names (`t`, `si`, `name`…), and this runs for every formula cell.
  const out: Record<string, string> = {};
  const n = s.length;
  let i = attrStart;
  while (i < n) {
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    if (c === GT || c === SLASH || i >= n) break;
    const nameStart = i;
    let local = i;
    while (i < n) {
      c = s.charCodeAt(i);
      if (c === EQ || c === 32 || c === 9 || c === 10 || c === 13 || c === GT || c === SLASH) break;
      if (c === COLON) local = i + 1;
      i++;
    }
    const name = s.slice(local, i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    if (c !== EQ) {
      // An attribute without a value is not XML; step over it.
      if (i === nameStart) i++;
      continue;
    }
    c = s.charCodeAt(++i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    if (c !== DQUOTE && c !== SQUOTE) break;
    const q = s.indexOf(c === DQUOTE ? '"' : "'", i + 1);
    if (q < 0) break;
    // `__proto__` would set the object's prototype instead of a property: no spreadsheet attribute has that name.
    if (name !== '__proto__') out[name] = decodeEntities(s.slice(i + 1, q));
    i = q + 1;
  }
  return out;
}

/**
 * The character data from `from` up to the next tag that is not CDATA, with entities decoded
 * and CDATA sections taken literally. Returns the text and the index of that next tag.
 */
export function readText(s: string, from: number): { text: string; end: number } {
  let lt = s.indexOf('<', from);
  if (lt < 0) lt = s.length;
  if (!s.startsWith('<![CDATA[', lt)) return { text: decodeEntities(s.slice(from, lt)), end: lt };
  let text = '';
  let i = from;
  for (;;) {
    text += decodeEntities(s.slice(i, lt));
    if (!s.startsWith('<![CDATA[', lt)) return { text, end: lt };
    const e = s.indexOf(']]>', lt + 9);
    if (e < 0) return { text: text + s.slice(lt + 9), end: s.length };
    text += s.slice(lt + 9, e);
    i = e + 3;
    lt = s.indexOf('<', i);
    if (lt < 0) lt = s.length;
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references; unknown ones stay as written. */
export function decodeEntities(t: string): string {
  let amp = t.indexOf('&');
  if (amp < 0) return t;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const semi = t.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) break;
    const ent = t.slice(amp + 1, semi);
    let rep: string | undefined;
    if (ent.charCodeAt(0) === 35 /* # */) {
      const hex = ent.charCodeAt(1) === 120 || ent.charCodeAt(1) === 88;
      const code = hex ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (Number.isFinite(code) && code >= 0 && code <= 0x10ffff) rep = String.fromCodePoint(code);
    } else {
      rep = NAMED[ent];
    }
    if (rep !== undefined) {
      out += t.slice(last, amp) + rep;
      last = semi + 1;
    }
    amp = t.indexOf('&', semi + 1);
  }
  return out + t.slice(last);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Undoes SpreadsheetML's `_xHHHH_` escapes in string values (`_x000D_` is a carriage return;
 * `_x005F_` escapes a literal underscore before another escape-like sequence).
 */
export function unescapeOoxml(t: string): string {
  let at = t.indexOf('_x');
  if (at < 0) return t;
  let out = '';
  let last = 0;
  while (at >= 0) {
    if (
      at + 6 < t.length &&
      t.charCodeAt(at + 6) === 95 &&
      isHex(t.charCodeAt(at + 2)) &&
      isHex(t.charCodeAt(at + 3)) &&
      isHex(t.charCodeAt(at + 4)) &&
      isHex(t.charCodeAt(at + 5))
    ) {
      out += t.slice(last, at) + String.fromCharCode(parseInt(t.slice(at + 2, at + 6), 16));
      last = at + 7;
      at = t.indexOf('_x', last);
    } else {
      at = t.indexOf('_x', at + 2);
    }
  }
  return out + t.slice(last);
}

/** Index of the start tag of the first element with this local name (any prefix), or -1. */
export function findElement(s: string, local: string, from = 0): number {
  let i = from;
  for (;;) {
    const at = s.indexOf(local, i);
    if (at < 0) return -1;
    const after = s.charCodeAt(at + local.length);
    const before = s.charCodeAt(at - 1);
    if (isNameEnd(after)) {
      if (before === LT) return at - 1;
      if (before === COLON) {
        // Walk back over the prefix to its `<`.
        let p = at - 2;
        while (p >= 0 && !isNameEnd(s.charCodeAt(p)) && s.charCodeAt(p) !== LT) p--;
        if (p >= 0 && s.charCodeAt(p) === LT) return p;
      }
    }
    i = at + local.length;
  }
}
