import { useEffect, useRef, useState } from "react";
import { ipc, type AppError, type Order, type PackagePreset, type ShipFromAddress } from "../../ipc";
import { ModalDialog } from "../../connection/ModalDialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatWeightOz } from "../../format";
import { PackageFields } from "./PackageFields";
import { ShipFromPicker } from "./ShipFromPicker";
import { ShipOne } from "./ShipOne";
import { ShipMany } from "./ShipMany";
import { batchDraft, formatDay, initialDraft, itemsWeightOz, localToday, toBatchPackage, toPackage, type BatchPackage, type PackageDraft } from "./packageForm";
import "./shipping.css";

/** What both flows need from the dialog's shared fields. */
export type ShipSetup = {
  /** One order: its package. */
  package: import("../../ipc").Package | null;
  /** Many orders: the box and the weight for orders without one (each order has its own). */
  batch: BatchPackage | null;
  packageProblem: string | null;
  shipFromId: number | null;
  shipDate: string;
};

/**
 * A Ship dialog opened by a scan: Buy takes the focus once it can buy, the bought label goes to
 * the printer at once, and `onDone` gets one line saying so (the page closes the dialog and
 * gives the focus back to the scan field).
 */
export type ScanMode = { onDone: (summary: string, printed: boolean) => void };

/**
 * Ship one order or many: the package, ship date and ship-from address are shared; one order
 * then gets the address check, rates and Buy, many orders a batch. Esc closes (not while a
 * purchase is running: the result must be seen).
 */
export function ShipDialog({ orders, onClose, onShipped, scan }: { orders: Order[]; onClose: () => void; onShipped: () => void; scan?: ScanMode }) {
  const [presets, setPresets] = useState<PackagePreset[]>([]);
  const [addresses, setAddresses] = useState<ShipFromAddress[] | null>(null);
  const [shipFromId, setShipFromId] = useState<number | null>(null);
  const many = orders.length > 1;
  const [draft, setDraft] = useState<PackageDraft>(() => (many ? batchDraft() : initialDraft(orders[0], null)));
  const [shipDate, setShipDate] = useState(localToday());
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  // Once labels are bought (or a batch started) the shared fields no longer apply: summarize them
  // so the previews and the report are what the user sees.
  const [committed, setCommitted] = useState(false);

  // The shop's default box fills the package until the user types anything.
  const touched = useRef(false);
  useEffect(() => {
    ipc.packagePresets().then((list) => {
      setPresets(list);
      const preferred = list.find((p) => p.is_default) ?? null;
      if (!preferred || touched.current) return;
      const box = { length: preferred.dimensions.length_in, width: preferred.dimensions.width_in, height: preferred.dimensions.height_in };
      setDraft(many ? { ...batchDraft(), ...box } : initialDraft(orders[0], preferred));
    }, () => setPresets([]));
    ipc.shipFromList().then(
      (list) => {
        setAddresses(list);
        setShipFromId((list.find((a) => a.is_default) ?? list[0])?.id ?? null);
      },
      (e: AppError) => setLoadError(e),
    );
  }, []);

  const parsed = many ? toBatchPackage(draft) : toPackage(draft);
  const setup: ShipSetup = {
    package: "package" in parsed ? parsed.package : null,
    batch: "batch" in parsed ? parsed.batch : null,
    packageProblem: "problem" in parsed ? parsed.problem : null,
    shipFromId,
    shipDate,
  };
  const title = orders.length === 1 ? `Ship order ${orders[0].order_number}` : `Ship ${orders.length} orders`;

  return (
    <ModalDialog titleId="ship-title" onEscape={() => !busy && onClose()} testId="ship-dialog">
      <div className="drawer-header">
        <h2 id="ship-title">{title}</h2>
        <button type="button" onClick={onClose} disabled={busy} aria-label="Close ship dialog">
          ✕
        </button>
      </div>
      {loadError && <ErrorNotice error={loadError} title="Shipping settings could not be loaded" />}
      {committed ? (
        <p className="muted" data-testid="ship-summary">
          {many ? "Each order at its own weight" : formatWeightOz(setup.package?.weight_oz)} · {draft.length}×{draft.width}×{draft.height} in · ships {formatDay(shipDate)} from{" "}
          {addresses?.find((a) => a.id === shipFromId)?.nickname}
        </p>
      ) : (
        <>
          {!many && itemsWeightOz(orders) == null && (
            <p className="notice notice-warn" data-testid="no-weight">
              Order {orders[0].order_number} has no weight. Weigh the package and type its weight: USPS bills the difference for a label bought
              too light.
            </p>
          )}
          <PackageFields
            draft={draft}
            presets={presets}
            onChange={(d) => {
              touched.current = true;
              setDraft(d);
            }}
            onPresetSaved={(p) => setPresets((list) => [...list.filter((x) => x.id !== p.id), p])}
            problem={setup.packageProblem}
            forOrdersWithoutWeight={many}
            focusWeight={!!scan && !many && itemsWeightOz(orders) == null}
          />
          <div className="row">
            <label className="field">
              <span>Ship date</span>
              <input type="date" value={shipDate} min={localToday()} onChange={(e) => setShipDate(e.target.value)} aria-label="Ship date" />
            </label>
          </div>
          {addresses && (
            <ShipFromPicker
              addresses={addresses}
              selected={shipFromId}
              onSelect={setShipFromId}
              onAdded={(a) => {
                setAddresses((list) => [...(list ?? []), a]);
                setShipFromId(a.id);
              }}
            />
          )}
        </>
      )}
      {addresses && addresses.length > 0 && shipFromId != null ? (
        orders.length === 1 ? (
          <ShipOne order={orders[0]} setup={setup} onBusy={setBusy} onShipped={onShipped} onCommitted={() => setCommitted(true)} scan={scan} />
        ) : (
          <ShipMany orders={orders} setup={setup} onBusy={setBusy} onShipped={onShipped} onCommitted={() => setCommitted(true)} />
        )
      ) : (
        addresses && <p className="muted">Save a ship-from address to see rates.</p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onClose} disabled={busy} data-action="close-ship">
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
