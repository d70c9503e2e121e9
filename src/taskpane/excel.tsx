/** Entry of the Excel task pane: waits for Office, follows its display language, renders the pane over the Excel service. */
import { STAMP_SHEET } from '../job/stampSheet';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createExcelService } from './excelService';
import { detectLang } from './i18n';

/**
 * School files are inserted without their sheets' protection: the sheets are the clerk's working copies (see
 * `src/xlsx/unprotect.ts`); and without the school's self-check record, which is no school sheet (its state is
 * read from the file before).
 */
const unprotect = async (bytes: Uint8Array) => {
  const [{ withoutSheetProtection }, { withoutSheet }] = await Promise.all([import('../xlsx/unprotect'), import('../xlsx/stamp')]);
  const plain = withoutSheetProtection(bytes) ?? bytes;
  return withoutSheet(plain, STAMP_SHEET) ?? (plain === bytes ? null : plain);
};
/** Files Excel cannot insert are read in the pane's worker (see parse.ts). Return packages are written by the .xlsx engine, loaded only when the clerk asks for them. */
const writeFile: Parameters<typeof createExcelService>[0]['writeFile'] = async (plans, copies) => (await import('../xlsx/write')).writeXlsx(plans, copies);

void Office.onReady(() => {
  const root = document.getElementById('root');
  if (root === null) return;
  createRoot(root).render(<App service={createExcelService({ writeFile, unprotect })} initialLang={detectLang(Office.context?.displayLanguage)} />);
});
