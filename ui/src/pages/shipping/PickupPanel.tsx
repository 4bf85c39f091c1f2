import { useCallback, useEffect, useState } from "react";
import { ipc, type AppError, type Pickup, type PickupEligibility, type PickupPackageCount, type ShipFromAddress } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDay } from "./packageForm";

const LOCATIONS = ["FRONT_DOOR", "BACK_DOOR", "SIDE_DOOR", "KNOCK_ON_DOOR", "MAIL_ROOM", "OFFICE", "PORCH", "RECEPTION", "MAILBOX", "OTHER"];
const words = (s: string) => s.toLowerCase().replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** USPS's pickup package types, by the product names on the labels. */
const PACKAGE_TYPES: Record<string, string> = {
  PRIORITY_MAIL_EXPRESS: "Priority Mail Express",
  PRIORITY_MAIL: "Priority Mail",
  USPS_GROUND_ADVANTAGE: "USPS Ground Advantage",
  FIRST_CLASS: "First-Class Mail",
  INTERNATIONAL: "International",
  RETURNS: "Returns",
  OTHER: "Other",
};
export const packageTypeName = (t: string) => PACKAGE_TYPES[t] ?? words(t);

/**
 * Carrier pickup: eligibility at the ship-from address, a schedule form prefilled from today's
 * labels, and cancel. USPS pickups cannot be edited: cancel and schedule again.
 */
export function PickupPanel({ addresses }: { addresses: ShipFromAddress[] }) {
  const handleUsps = useUspsErrors();
  const [shipFromId, setShipFromId] = useState<number | null>((addresses.find((a) => a.is_default) ?? addresses[0])?.id ?? null);
  const [eligibility, setEligibility] = useState<PickupEligibility | null>(null);
  const [date, setDate] = useState("");
  const [packages, setPackages] = useState<PickupPackageCount[]>([]);
  const [weight, setWeight] = useState("");
  const [location, setLocation] = useState("FRONT_DOOR");
  const [instructions, setInstructions] = useState("");
  const [pickups, setPickups] = useState<Pickup[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const loadPickups = useCallback(() => ipc.pickups().then(setPickups, (e: AppError) => setError(e)), []);
  useEffect(() => {
    void loadPickups();
  }, [loadPickups]);

  useEffect(() => {
    if (shipFromId == null) return;
    setEligibility(null);
    ipc.pickupPrefill(shipFromId, null).then(
      (p) => {
        setDate(p.pickup_date);
        setPackages(p.packages);
        setWeight(p.estimated_weight_lb);
      },
      (e: AppError) => setError(e),
    );
  }, [shipFromId]);

  const act = async (name: string, work: () => Promise<void>, retry: () => void) => {
    setBusy(name);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (!handleUsps(e as AppError, retry)) setError(e as AppError);
    } finally {
      setBusy(null);
    }
  };
  const check = () => act("check", async () => setEligibility(await ipc.pickupEligibility(shipFromId)), () => void check());
  const schedule = () =>
    act(
      "schedule",
      async () => {
        await ipc.schedulePickup({
          ship_from_id: shipFromId ?? undefined,
          pickup_date: date,
          packages: packages.filter((p) => p.count > 0),
          estimated_weight_lb: weight || "0",
          package_location: location,
          special_instructions: instructions.trim() || undefined,
        });
        await loadPickups();
      },
      () => void schedule(),
    );
  const cancel = (id: number) =>
    act(
      `cancel-${id}`,
      async () => {
        await ipc.cancelPickup(id);
        await loadPickups();
      },
      () => void cancel(id),
    );
  const total = packages.reduce((n, p) => n + p.count, 0);
  // USPS takes one pickup per address and day: a second one is refused, so say it before asking.
  const alreadyBooked = pickups.find((p) => p.status === "scheduled" && p.ship_from_id === shipFromId && p.pickup_date === date);

  return (
    <section className="ship-section" aria-labelledby="pickup-title" data-testid="pickup">
      <h3 id="pickup-title">Carrier pickup</h3>
      <div className="row">
        <label className="field">
          <span>Pick up at</span>
          <select aria-label="Pickup address" value={shipFromId ?? ""} onChange={(e) => setShipFromId(Number(e.target.value))}>
            {addresses.map((a) => (
              <option key={a.id} value={a.id}>
                {a.nickname} — {a.address.street1}, {a.address.city}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void check()} disabled={busy != null || shipFromId == null} data-action="pickup-eligibility" className="inline">
          {busy === "check" ? "Asking USPS…" : "Check eligibility"}
        </button>
      </div>
      {eligibility && (
        <p className={eligibility.eligible ? "muted" : "flag"} role="status" data-testid="pickup-eligibility">
          {eligibility.eligible ? "USPS picks up at this address." : "USPS does not offer pickup at this address."}
          {eligibility.message ? ` ${eligibility.message}` : ""}
        </p>
      )}
      <div className="row">
        <label className="field">
          <span>Date</span>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label="Pickup date" />
        </label>
        {packages.map((p, i) => (
          <label className="field" key={p.package_type}>
            <span>{packageTypeName(p.package_type)} packages</span>
            <input
              type="number"
              min={0}
              value={p.count}
              aria-label={`${packageTypeName(p.package_type)} packages`}
              onChange={(e) => setPackages((list) => list.map((x, j) => (j === i ? { ...x, count: Number(e.target.value) } : x)))}
            />
          </label>
        ))}
        <label className="field">
          <span>Total weight lb</span>
          <input inputMode="decimal" value={weight} onChange={(e) => setWeight(e.target.value)} aria-label="Estimated total weight, pounds" />
        </label>
        <label className="field">
          <span>Packages will be at</span>
          <select value={location} onChange={(e) => setLocation(e.target.value)} aria-label="Package location">
            {LOCATIONS.map((l) => (
              <option key={l} value={l}>
                {words(l)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {location === "OTHER" && (
        <label className="field">
          <span>Instructions for the carrier</span>
          <input value={instructions} onChange={(e) => setInstructions(e.target.value)} aria-label="Instructions for the carrier" />
        </label>
      )}
      {error && <ErrorNotice error={error} />}
      {alreadyBooked && (
        <p className="notice notice-warn" data-testid="pickup-booked">
          A pickup is already scheduled here for {formatDay(alreadyBooked.pickup_date)} (confirmation {alreadyBooked.confirmation_number}). USPS
          takes one per address and day: cancel it below to schedule a different one, or pick another date.
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          onClick={() => void schedule()}
          disabled={busy != null || total === 0 || !date || !!alreadyBooked}
          data-action="schedule-pickup"
        >
          {busy === "schedule" ? "Scheduling…" : `Schedule pickup (${total} package${total === 1 ? "" : "s"})`}
        </button>
      </div>
      {pickups.length > 0 && (
        <table className="dense" data-testid="pickups">
          <caption className="muted">Pickups cannot be changed: cancel one and schedule again.</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Confirmation</th>
              <th scope="col" className="num">Packages</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {pickups.map((p) => (
              <tr key={p.id}>
                <td>{formatDay(p.pickup_date)}</td>
                <td>{p.confirmation_number}</td>
                <td className="num">{p.package_count}</td>
                <td>{p.status === "scheduled" ? "Scheduled" : "Canceled"}</td>
                <td>
                  {p.status === "scheduled" && (
                    <button type="button" onClick={() => void cancel(p.id)} disabled={busy != null} data-action="cancel-pickup">
                      {busy === `cancel-${p.id}` ? "Canceling…" : "Cancel pickup"}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
