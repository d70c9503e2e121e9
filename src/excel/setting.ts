/** The add-in's own values kept in the workbook (`Workbook.settings`): JSON text, or the value itself on hosts that keep objects. */

/** A setting's value as data: its JSON text parsed, an object as it is; `undefined` when the text is not JSON. */
export function settingData(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
