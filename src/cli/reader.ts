/** Entry of a reader process (bundled to dist/cli/reader.cjs): only the readers, so a reader process starts in a fraction of the command's time. */
import { readerMain } from './parse';

readerMain();
