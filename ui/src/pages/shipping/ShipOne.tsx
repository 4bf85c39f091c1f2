import { useCallback, useEffect, useRef, useState } from "react";
import { ipc, type AddressCheck, type AppError, type CustomsDeclaration, type CustomsDraft, type Order, type PurchaseOutcome, type RateQuote, type RatesAnswer } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ReconnectNeeded } from "../../connection/ReconnectNeeded";
import { ErrorNotice } from "../../components/ErrorNotice";
import { countryName, formatMoney, isInternational } from "../../format";
import { CustomsForm, declarationToSend } from "./CustomsForm";
import { fieldErrors, type FieldErrors } from "../settings/fieldErrors";
import { AddressCheckPanel, type AddressDecision } from "./AddressCheckPanel";
import { RatesTable, recommendedQuote, sameChoice, type PackagingMode } from "./RatesTable";
import { LabelPreviews } from "./LabelPreviews";
import type { ScanMode, ShipSetup } from "./ShipDialog";
import { OrderForm, orderToInput } from "../orders/OrderForm";

function alreadyHasLabel(e: AppError): boolean {
  return e.code === "CONFLICT" && e.details?.kind === "already_shipped";
}

const needsReconnect = (e: AppError | null) => e?.code === "USPS_RECONNECT_REQUIRED";

/** Whether the field a draft's message is about (`customs.items[1].hs_tariff`) is still blank. */
function stillBlank(d: CustomsDeclaration, key: string): boolean {
  const m = /^customs\.items\[(\d+)\]\.(\w+)$/.exec(key);
  if (!m) return true;
  const item = d.items[Number(m[1])] as unknown as Record<string, unknown> | undefined;
  const v = item?.[m[2]];
  return v == null || String(v).trim() === "" || Number(v) === 0;
}

/**
 * One order: address check → rates → Buy → preview, print or save.
 *
 * Every wait on USPS ends on screen: with the answer, with the error (a connection error is also
 * handed to the Reconnect prompt, and stays here as "USPS needs to be reconnected" with its own
 * Reconnect button, since Remind Me Later leaves nothing else to wait for), or when the user
 * stops waiting (Cancel). A stopped or superseded request's late answer is ignored.
 */
export function ShipOne(props: {
  order: Order;
  setup: ShipSetup;
  onBusy: (b: boolean) => void;
  onShipped: () => void;
  onCommitted: () => void;
  scan?: ScanMode;
}) {
  const { setup } = props;
  // The order as last saved: its address can be fixed here when USPS does not recognize it.
  const [order, setOrder] = useState(props.order);
  const [editingAddress, setEditingAddress] = useState(false);
  const handleUsps = useUspsErrors();
  const [check, setCheck] = useState<AddressCheck | null>(null);
  const [checkError, setCheckError] = useState<AppError | null>(null);
  const [decision, setDecision] = useState<AddressDecision>("as_entered");
  const [printAnyway, setPrintAnyway] = useState(false);
  const [rates, setRates] = useState<RatesAnswer | null>(null);
  const [ratesError, setRatesError] = useState<AppError | null>(null);
  const [loadingRates, setLoadingRates] = useState(false);
  const [selected, setSelected] = useState<RateQuote | null>(null);
  const [packaging, setPackaging] = useState<PackagingMode>("own");
  const [buying, setBuying] = useState(false);
  const [buyError, setBuyError] = useState<AppError | null>(null);
  const [another, setAnother] = useState(false);
  const [mustConfirm, setMustConfirm] = useState(order.status === "shipped");
  const [outcome, setOutcome] = useState<PurchaseOutcome | null>(null);
  const inFlight = useRef(false);
  const buyButton = useRef<HTMLButtonElement>(null);
  // The newest address check and rates request; a stopped or older one's answer is dropped.
  const checkRun = useRef(0);
  const ratesRun = useRef(0);
  const [checkStopped, setCheckStopped] = useState(false);
  // Abroad, and to a military post office (APO/FPO/DPO), a package carries a customs form.
  const abroad = isInternational(order.ship_to);
  const international = abroad || ["AA", "AE", "AP"].includes(order.ship_to.state.trim());
  const [draft, setDraft] = useState<CustomsDraft | null>(null);
  const [customs, setCustoms] = useState<CustomsDeclaration | null>(null);
  const [draftError, setDraftError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!international) return;
    let live = true;
    ipc
      .customsDraft(order.id)
      .then((d) => {
        if (!live) return;
        setDraft(d);
        setCustoms(d.declaration);
      })
      .catch((e) => live && setDraftError(e as AppError));
    return () => {
      live = false;
    };
  }, [international, order.id]);

  // Core's word on the form: after a Buy, its refusal; before, the draft's gaps still blank.
  const refusedFields: FieldErrors = Object.fromEntries(Object.entries(fieldErrors(buyError)).filter(([k]) => k.startsWith("customs")));
  const customsErrors: FieldErrors =
    Object.keys(refusedFields).length > 0
      ? refusedFields
      : Object.fromEntries(Object.entries(draft?.missing ?? {}).filter(([k]) => customs != null && stillBlank(customs, k)));

  const runCheck = useCallback(async () => {
    const run = ++checkRun.current;
    setCheckError(null);
    setCheckStopped(false);
    try {
      const c = await ipc.checkOrderAddress(order.id);
      if (run !== checkRun.current) return;
      setCheck(c);
      setDecision(c.standardized && c.differences.length > 0 ? "standardized" : "as_entered");
    } catch (e) {
      if (run !== checkRun.current) return;
      handleUsps(e as AppError, () => void runCheck());
      setCheckError(e as AppError);
    }
  }, [order.id, handleUsps]);

  const stopCheck = () => {
    checkRun.current += 1;
    setCheckStopped(true);
  };

  useEffect(() => {
    void runCheck();
  }, [runCheck]);

  const shipTo = decision === "standardized" && check?.standardized ? check.standardized : null;
  const ratesKey = JSON.stringify([setup.package, setup.shipFromId, shipTo]);
  const [ratesFor, setRatesFor] = useState<string | null>(null);

  const getRates = useCallback(async () => {
    if (!setup.package) return;
    const run = ++ratesRun.current;
    setLoadingRates(true);
    setRatesError(null);
    const key = ratesKey;
    try {
      const answer = await ipc.ratesForOrder(order.id, setup.package, setup.shipFromId, shipTo);
      if (run !== ratesRun.current) return;
      setRates(answer);
      setRatesFor(key);
      setSelected((cur) => answer.quotes.find((q) => sameChoice(cur?.choice ?? null, q.choice)) ?? recommendedQuote(answer, packaging));
    } catch (e) {
      if (run !== ratesRun.current) return;
      handleUsps(e as AppError, () => void getRates());
      setRatesError(e as AppError);
    } finally {
      if (run === ratesRun.current) setLoadingRates(false);
    }
  }, [order.id, setup.package, setup.shipFromId, shipTo, ratesKey, handleUsps, packaging]);

  const choosePackaging = (p: PackagingMode) => {
    setPackaging(p);
    if (rates) setSelected(recommendedQuote(rates, p));
  };

  const stopRates = () => {
    ratesRun.current += 1;
    setLoadingRates(false);
  };

  // Rates once the address question is settled; afterwards only on request (they cost quota).
  const asked = useRef(false);
  useEffect(() => {
    if (!asked.current && (check || checkError) && setup.package) {
      asked.current = true;
      void getRates();
    }
  }, [check, checkError, setup.package, getRates]);

  const stale = rates != null && ratesFor !== ratesKey;
  const unknownAddress = !!check && check.deliverable !== "not_checked" && (check.standardized == null || check.deliverable === "no");
  const canBuy =
    !buying &&
    !outcome &&
    !!selected &&
    !!setup.package &&
    !stale &&
    (!unknownAddress || printAnyway) &&
    (!mustConfirm || another) &&
    (!international || customs != null);

  // Scan mode: Enter buys as soon as a label can be bought.
  const scanning = !!props.scan;
  useEffect(() => {
    if (scanning && canBuy) buyButton.current?.focus();
  }, [scanning, canBuy]);

  const buy = async () => {
    if (inFlight.current || !selected || !setup.package) return;
    inFlight.current = true;
    setBuying(true);
    props.onBusy(true);
    setBuyError(null);
    try {
      const result = await ipc.buyLabel({
        order_id: order.id,
        rate: selected.choice,
        package: setup.package,
        ship_from_id: setup.shipFromId ?? undefined,
        ship_date: setup.shipDate,
        ship_to: shipTo ? { choice: "standardized", address: shipTo } : { choice: "as_entered" },
        ignore_bad_address: unknownAddress && printAnyway,
        allow_additional_label: mustConfirm && another,
        customs: international && customs ? declarationToSend(customs) : undefined,
      });
      setOutcome(result);
      props.onCommitted();
      props.onShipped();
      if (props.scan) {
        const s = result.shipment;
        const bought = `Order ${order.order_number}: ${s.service_name} label ${s.tracking_number} bought (${formatMoney(s.postage)})`;
        try {
          await ipc.printLabels([s.id], null);
          props.scan.onDone(`${bought} and sent to the printer.`, true);
        } catch (e) {
          const why = (e as AppError).message.trim().replace(/([^.])$/, "$1.");
          props.scan.onDone(`${bought}, but not printed: ${why} Print it from Shipments.`, false);
        }
      }
    } catch (e) {
      const err = e as AppError;
      if (alreadyHasLabel(err)) {
        setMustConfirm(true);
        setBuyError(err);
      } else if (!handleUsps(err, () => void buy())) {
        setBuyError(err);
      }
    } finally {
      inFlight.current = false;
      setBuying(false);
      props.onBusy(false);
    }
  };

  return (
    <>
      {!outcome && (
        <>
          <section className="ship-section" aria-labelledby="check-title">
            <h3 id="check-title">Address check</h3>
            {editingAddress ? (
              <OrderForm
                initial={orderToInput(order)}
                onCancel={() => setEditingAddress(false)}
                onSave={async (input) => {
                  const saved = await ipc.ordersUpdate(order.id, input);
                  setOrder(saved);
                  setEditingAddress(false);
                  setCheck(null);
                  setPrintAnyway(false);
                  void runCheck();
                }}
              />
            ) : check ? (
              <>
                <AddressCheckPanel check={check} decision={decision} onDecision={setDecision} printAnyway={printAnyway} onPrintAnyway={setPrintAnyway} />
                <button type="button" onClick={() => setEditingAddress(true)} data-action="edit-address">
                  Edit the address
                </button>
              </>
            ) : needsReconnect(checkError) ? (
              <ReconnectNeeded before="the address can be checked" again={{ label: "Check the address", run: () => void runCheck() }} />
            ) : checkError ? (
              <>
                <ErrorNotice error={checkError} title="USPS could not check the address" />
                <button type="button" onClick={() => void runCheck()}>
                  Check again
                </button>
              </>
            ) : checkStopped ? (
              <p className="waiting" data-testid="check-stopped">
                <span className="muted">The address was not checked.</span>
                <button type="button" onClick={() => void runCheck()} data-action="check-address">
                  Check the address
                </button>
              </p>
            ) : (
              <p className="waiting" data-testid="checking-address">
                <span className="muted">
                  Asking USPS about {order.ship_to.street1}, {order.ship_to.city}…
                </span>
                <button type="button" onClick={stopCheck} data-action="stop-check">
                  Cancel
                </button>
              </p>
            )}
          </section>
          {international && (
            <section className="ship-section" aria-labelledby="customs-title">
              <h3 id="customs-title">Customs declaration</h3>
              {customs && draft ? (
                <CustomsForm
                  value={customs}
                  onChange={setCustoms}
                  errors={customsErrors}
                  country={abroad ? countryName(order.ship_to.country) : "a military post office"}
                  fromSaved={draft.from_saved}
                />
              ) : draftError ? (
                <ErrorNotice error={draftError} title="The customs form could not be prepared" />
              ) : (
                <p className="muted">Preparing the customs form…</p>
              )}
            </section>
          )}
          <section className="ship-section" aria-labelledby="rates-title">
            <h3 id="rates-title">Rates</h3>
            {loadingRates && (
              <p className="waiting" data-testid="getting-rates">
                <span className="muted">Getting rates from USPS…</span>
                <button type="button" onClick={stopRates} data-action="stop-rates">
                  Cancel
                </button>
              </p>
            )}
            {needsReconnect(ratesError) ? (
              <ReconnectNeeded before="rates can be fetched" />
            ) : (
              ratesError && <ErrorNotice error={ratesError} title="No rates" />
            )}
            {rates && !stale && (
              <RatesTable rates={rates} selected={selected?.choice ?? null} onSelect={setSelected} packaging={packaging} onPackaging={choosePackaging} />
            )}
            {(stale || (!rates && !loadingRates)) && (
              <button type="button" onClick={() => void getRates()} disabled={!setup.package || loadingRates} data-action="get-rates">
                {stale ? "Package or address changed — get rates again" : "Get rates"}
              </button>
            )}
          </section>
        </>
      )}
      {mustConfirm && !outcome && (
        <div className="notice notice-warn" role="alert" data-testid="already-labelled">
          <strong>Order {order.order_number} already has a label.</strong>
          <label className="check">
            <input type="checkbox" checked={another} onChange={(e) => setAnother(e.target.checked)} data-testid="confirm-another" />
            Yes, buy another label for this order (a second package or a replacement)
          </label>
        </div>
      )}
      {buyError && <ErrorNotice error={buyError} title="The label was not bought" />}
      {!outcome && (
        <div className="form-actions">
          <button ref={buyButton} type="button" className="primary" onClick={() => void buy()} disabled={!canBuy} aria-busy={buying} data-action="buy-label">
            {buying ? "Buying label…" : selected && !stale ? `Buy label · ${formatMoney(selected.price)}` : "Buy label"}
          </button>
        </div>
      )}
      {outcome && (
        <>
          <p role="status" data-testid="bought">
            Label bought: {outcome.shipment.service_name}, tracking {outcome.shipment.tracking_number}, {formatMoney(outcome.shipment.postage)}.
            {outcome.resumed_earlier_attempt && " (An earlier purchase that had not finished was completed instead of buying again.)"}
          </p>
          <LabelPreviews shipments={[outcome.shipment]} />
        </>
      )}
    </>
  );
}
