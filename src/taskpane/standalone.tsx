/** Entry of the standalone page: the same pane over .xlsx files in the browser. `?lang=en-US` starts in English. */
// First: on the single-file page, chunks and the worker load from the page's own text.
import './inlineChunks';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createFileService } from './fileService';
import { detectLang } from './i18n';
import { createIdbSessionStore } from './sessionStore';

const asked = new URLSearchParams(window.location.search).get('lang');
const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<App service={createFileService()} session={createIdbSessionStore()} initialLang={asked ? detectLang(asked) : 'zh-CN'} />);
