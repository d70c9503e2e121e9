/** Entry of the self-check page a bureau hands its schools (`huizong self-check`): its definitions come inside the page. `?lang=en-US` starts in English. */
// First: on the single-file page, chunks and the worker load from the page's own text.
import './inlineChunks';
import { createRoot } from 'react-dom/client';
import { definitionsOfPage } from '../job/selfCheckPage';
import { embeddedData } from './embedded';
import { detectLang } from './i18n';
import { defaultRunner } from './runner';
import { SelfCheckPage } from './SelfCheckPage';

const asked = new URLSearchParams(window.location.search).get('lang');
const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<SelfCheckPage definitions={definitionsOfPage(embeddedData())} makeRunner={defaultRunner} initialLang={asked ? detectLang(asked) : 'zh-CN'} />);
