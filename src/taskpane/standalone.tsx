/** Entry of the standalone page: the same pane over .xlsx files in the browser. `?lang=en-US` starts in English. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createFileService } from './fileService';
import { detectLang } from './i18n';

const asked = new URLSearchParams(window.location.search).get('lang');
const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<App service={createFileService()} initialLang={asked ? detectLang(asked) : 'zh-CN'} />);
