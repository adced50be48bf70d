import { useEffect, type RefObject } from 'react';

/**
 * After a refused save, the first field marked invalid takes the focus: it scrolls into view and a
 * screen reader reads its message, instead of the error sitting above the fold.
 */
export function useFocusFirstInvalid(container: RefObject<HTMLElement | null>, error: unknown): void {
  useEffect(() => {
    const field = error ? container.current?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    if (!field) return;
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: 'center' });
  }, [container, error]);
}
