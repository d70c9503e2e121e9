/** The demo district, as the command and older imports know it: it lives in `src/demo`. */
export * from '../demo';
