// Scan-to-ship: a field a keyboard-wedge scanner types into (F2 focuses it). Enter looks the code
// up in core (an order number, with or without `#`, or the marketplace's order id); an order to
// ship opens the Ship dialog in scan mode — Buy has the focus once a rate is chosen, so Enter
// buys, and the label goes to the printer at once — then the field has the focus again for the
// next scan. A code that must not be shipped (unknown, already shipped, cancelled, archived) is
// said loudly here and buys nothing.
import { forwardRef, useState } from "react";
import { ipc, type AppError, type Order } from "../../ipc";

/** What the last scan came to, shown beside the field. */
export type ScanNote = { kind: "done" | "unprinted" | "refused"; text: string };

const NOTE_CLASS: Record<ScanNote["kind"], string> = {
  done: "scan-note",
  unprinted: "notice notice-warn scan-note",
  refused: "notice notice-error scan-note",
};

export const ScanField = forwardRef<HTMLInputElement, { note: ScanNote | null; onNote: (n: ScanNote) => void; onShip: (o: Order) => void }>(function ScanField(props, ref) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const scanned = code;
    if (!scanned.trim() || busy) return;
    setCode("");
    setBusy(true);
    try {
      const found = await ipc.ordersScan(scanned);
      if (found.refusal) props.onNote({ kind: "refused", text: found.refusal });
      else props.onShip(found.order);
    } catch (e) {
      props.onNote({ kind: "refused", text: (e as AppError).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="scan-to-ship"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input
        ref={ref}
        type="text"
        className="scan-field"
        placeholder="Scan an order to ship  ( F2 )"
        aria-label="Scan an order to ship"
        autoComplete="off"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="scan-field"
      />
      {props.note && (
        <p
          className={NOTE_CLASS[props.note.kind]}
          role={props.note.kind === "done" ? "status" : "alert"}
          data-testid="scan-note"
          data-kind={props.note.kind}
        >
          {props.note.text}
        </p>
      )}
    </form>
  );
});
