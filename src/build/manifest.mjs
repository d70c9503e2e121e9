// The add-in manifest for where a bureau hosts the pane: every https://localhost:3000/ URL of manifest.xml
// (the development server of `npm start`) replaced by the bureau's own https address.

/** The development server's address, as manifest.xml names it. */
export const DEV_HOST = 'https://localhost:3000/';

/**
 * The host as the manifest needs it: an https URL ending in `/`, with no query or fragment. Office loads an
 * add-in's pages only over https, so anything else is refused with the reason.
 * @param {string} host
 * @returns {string}
 */
export function checkedHost(host) {
  let url;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`The host "${host}" is not a URL; give the https address where dist/web is served, e.g. https://edu.example.gov.cn/huizong/`);
  }
  if (url.protocol !== 'https:') throw new Error(`The host "${host}" is not https: Office loads add-in pages over https only.`);
  if (url.search !== '' || url.hash !== '') throw new Error(`The host "${host}" has a query or fragment; give the folder's address only.`);
  if (url.username !== '' || url.password !== '') throw new Error(`The host "${host}" carries a user name or password; give the folder's address only.`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/**
 * manifest.xml with every development URL pointing at `host` instead.
 * @param {string} xml
 * @param {string} host
 * @returns {string}
 */
export function manifestFor(xml, host) {
  const base = checkedHost(host);
  const out = xml.split(DEV_HOST).join(base);
  if (/localhost/i.test(out)) throw new Error('manifest.xml names localhost other than as https://localhost:3000/; fix the manifest.');
  return out;
}
