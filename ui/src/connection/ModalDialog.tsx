// A modal dialog that behaves like one for keyboard and screen-reader users: labelled by its
// title, focus moves in on open, Tab stays inside, Escape runs `onEscape`, and focus returns to
// where it was on close (or to the dialog underneath, when that element is gone).
//
// Escape must work even when focus has fallen out of every dialog (a focused button was removed
// or disabled while waiting, or focus returned to an element that no longer exists): then the
// dialog on top takes it. Dialogs open over one another (the Reconnect prompt over the Ship
// dialog), so the open ones are kept in order.
import { useEffect, useRef, type ReactNode } from "react";

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The open dialogs, the newest (on top) last. */
const openDialogs: HTMLElement[] = [];

function canTakeFocus(el: HTMLElement | null): el is HTMLElement {
  return !!el && el.isConnected && !(el as HTMLButtonElement).disabled;
}

export function ModalDialog(props: {
  titleId: string;
  describedBy?: string;
  onEscape: () => void;
  children: ReactNode;
  testId?: string;
  /** Extra classes beside `modal` (e.g. `wide`). */
  className?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const escape = useRef(props.onEscape);
  escape.current = props.onEscape;

  useEffect(() => {
    const dialog = box.current;
    const before = document.activeElement as HTMLElement | null;
    if (dialog) openDialogs.push(dialog);
    // A field marked `data-autofocus` (the weight of a scanned order) takes the focus first.
    const first = dialog?.querySelector<HTMLElement>("[data-autofocus]") ?? dialog?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog)?.focus();
    const strayEscape = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || openDialogs[openDialogs.length - 1] !== dialog) return;
      const active = document.activeElement;
      if (active && active !== document.body && openDialogs.some((d) => d.contains(active))) return;
      escape.current();
    };
    window.addEventListener("keydown", strayEscape);
    return () => {
      window.removeEventListener("keydown", strayEscape);
      const at = dialog ? openDialogs.indexOf(dialog) : -1;
      if (at >= 0) openDialogs.splice(at, 1);
      if (canTakeFocus(before)) before.focus();
      else openDialogs[openDialogs.length - 1]?.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      escape.current();
      return;
    }
    if (e.key !== "Tab" || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !box.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !box.current.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop">
      <div
        ref={box}
        className={props.className ? `modal ${props.className}` : "modal"}
        role="dialog"
        aria-modal="true"
        aria-labelledby={props.titleId}
        aria-describedby={props.describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={props.testId}
      >
        {props.children}
      </div>
    </div>
  );
}
