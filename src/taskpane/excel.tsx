/** Entry of the Excel task pane: waits for Office, follows its display language, renders the pane over the Excel service. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createExcelService } from './excelService';
import { detectLang } from './i18n';

void Office.onReady(() => {
  const root = document.getElementById('root');
  if (root === null) return;
  createRoot(root).render(<App service={createExcelService()} initialLang={detectLang(Office.context?.displayLanguage)} />);
});
