/**
 * Focus for what a long action produced: when `value` arrives (a new, non-null result), focus moves to
 * the element holding it, so the keyboard and the screen reader continue from there rather than from
 * the top of the page (a button disabled while busy drops focus to the body).
 */
import { useEffect, useRef } from 'react';

/** A ref to put on the element (give it `tabIndex={-1}`); it is focused each time `value` changes to a new non-null value. */
export function useFocusOnArrival<T extends HTMLElement>(value: unknown) {
  const ref = useRef<T>(null);
  const seen = useRef(value);
  useEffect(() => {
    if (value === seen.current) return;
    seen.current = value;
    if (value !== null && value !== undefined) ref.current?.focus();
  }, [value]);
  return ref;
}
