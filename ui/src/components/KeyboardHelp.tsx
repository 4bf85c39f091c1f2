import { ModalDialog } from "../connection/ModalDialog";
import { SHORTCUTS, type ShortcutArea } from "../shortcuts";

const AREAS: ShortcutArea[] = ["Everywhere", "Orders", "Ship dialog", "Labels"];

/** The `?` overlay: every shortcut, by where it works. Esc or Close ends it. */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog titleId="keyboard-help-title" onEscape={onClose} testId="keyboard-help" className="wide">
      <h2 id="keyboard-help-title">Keyboard shortcuts</h2>
      <div className="shortcut-areas">
        {AREAS.map((area) => (
          <section key={area} aria-label={area}>
            <h3>{area}</h3>
            <dl className="shortcut-list">
              {SHORTCUTS.filter((s) => s.area === area).map((s) => (
                <div key={`${area}-${s.keys.join("+")}-${s.what}`} className="shortcut">
                  <dt>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && " "}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{s.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={onClose} autoFocus data-action="close-keyboard-help">
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
