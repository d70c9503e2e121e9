/** Entry of the Excel task pane: waits for Office, follows its display language, renders the pane over the Excel service. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createExcelService } from './excelService';
import { detectLang } from './i18n';

/** Files Excel cannot insert are read by the .xlsx engine, loaded only when such a file first appears. */
const readFile = async (bytes: Uint8Array, name: string) => (await import('../xlsx/file')).readWorkbookFile(bytes, name);

void Office.onReady(() => {
  const root = document.getElementById('root');
  if (root === null) return;
  createRoot(root).render(<App service={createExcelService({ readFile })} initialLang={detectLang(Office.context?.displayLanguage)} />);
});
