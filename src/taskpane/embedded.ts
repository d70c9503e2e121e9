/** The data a single-file page carries (`singleFileHtml`'s `data`), read once from its JSON element. */
import { PAGE_DATA_ID } from '../job/selfCheckPage';

/** The page's data, or undefined when it carries none or it does not parse. */
export function embeddedData(): unknown {
  const el = document.getElementById(PAGE_DATA_ID);
  if (el === null || el.textContent === null) return undefined;
  try {
    return JSON.parse(el.textContent) as unknown;
  } catch {
    return undefined;
  }
}
