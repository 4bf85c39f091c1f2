import { useEffect, useRef, useState } from "react";
import { ipc, type AppError, type Order, type OrderQuery } from "../../ipc";
import type { OrderStatus } from "../../bindings/OrderStatus";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatCount } from "../../format";
import { OrdersTable, type Selection } from "./OrdersTable";
import { useOrderPages } from "./useOrderPages";
import { OrderDrawer } from "./OrderDrawer";
import { ModalDialog } from "../../connection/ModalDialog";
import { OrderForm } from "./OrderForm";
import { ImportDialog } from "./ImportDialog";
import { ShipDialog, type ScanMode } from "../shipping/ShipDialog";
import { ScanField, type ScanNote } from "./ScanToShip";
import { isTyping } from "../../shortcuts";

const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function OrdersPage() {
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [status, setStatus] = useState<OrderStatus | "">("");
  const [tag, setTag] = useState("");
  const [showArchived, setShowArchived] = useState(false);
  const [sort, setSort] = useState<{ sort: OrderQuery["sort"]; descending: boolean }>({ sort: "order_number", descending: false });
  const [version, setVersion] = useState(0);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  // For the `S` and Ctrl+A shortcuts, whose listener outlives renders.
  const selectedRef = useRef<number[]>([]);
  selectedRef.current = [...selection.ids];
  const selectAllRef = useRef<() => void>(() => undefined);
  const [open, setOpen] = useState<Order | null>(null);
  const [dialog, setDialog] = useState<"import" | "new" | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [shipping, setShipping] = useState<Order[] | null>(null);
  // Scan-to-ship: the Ship dialog was opened by a scan (and returns the focus to the scan field).
  const scanBox = useRef<HTMLInputElement>(null);
  const [scanned, setScanned] = useState(false);
  const [scanNote, setScanNote] = useState<ScanNote | null>(null);
  /** The order number just created with New order, to confirm the save in its drawer. */
  const [created, setCreated] = useState<string | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 120);
    return () => clearTimeout(t);
  }, [search]);

  useEffect(() => {
    ipc.ordersTags().then(setTags, () => setTags([]));
  }, [version]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = isTyping(e.target);
      if (e.key === "/" && !typing && !dialog) {
        e.preventDefault();
        searchBox.current?.focus();
      } else if ((e.key === "s" || e.key === "S") && !typing && !e.ctrlKey && !e.metaKey && !e.altKey && !dialog && !shipping && selectedRef.current.length > 0) {
        e.preventDefault();
        void ship(selectedRef.current);
      } else if (e.key.toLowerCase() === "a" && (e.ctrlKey || e.metaKey) && !typing && !dialog && !shipping) {
        // Ctrl+A on the page selects the orders, not the page's text.
        e.preventDefault();
        selectAllRef.current();
      } else if (e.key === "F2" && !dialog && !shipping) {
        e.preventDefault();
        scanBox.current?.focus();
      } else if (e.key === "Escape" && open && !dialog && !shipping) {
        setOpen(null);
        setCreated(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, dialog, shipping]);

  const query: OrderQuery = {
    search: debounced || undefined,
    status: status || undefined,
    tag: tag || undefined,
    archived: showArchived ? "all" : "active",
    sort: sort.sort,
    descending: sort.descending,
  };
  const { total, nothingToSearch, error, rowAt } = useOrderPages(query, version);
  selectAllRef.current = () => {
    const ids = new Set<number>();
    for (let i = 0; i < (total ?? 0); i++) {
      const o = rowAt(i);
      if (o) ids.add(o.id);
    }
    setSelection({ ids, anchor: 0 });
  };
  const refresh = () => setVersion((v) => v + 1);
  const selectedIds = [...selection.ids];
  const filtering = !!(debounced || status || tag || showArchived);

  const archive = async (archived: boolean) => {
    try {
      await ipc.ordersArchive(selectedIds, archived);
      setSelection(EMPTY_SELECTION);
      setActionError(null);
      refresh();
    } catch (e) {
      setActionError(e as AppError);
    }
  };

  const ship = async (ids: number[]) => {
    try {
      setShipping(await Promise.all(ids.map((id) => ipc.ordersGet(id))));
      setActionError(null);
    } catch (e) {
      setActionError(e as AppError);
    }
  };

  const closeShipping = () => {
    setShipping(null);
    if (scanned) {
      setScanned(false);
      setTimeout(() => scanBox.current?.focus(), 0);
    }
  };

  const scanMode: ScanMode = {
    onDone: (text, printed) => {
      setScanNote({ kind: printed ? "done" : "unprinted", text });
      closeShipping();
    },
  };

  const addTag = async () => {
    const name = window.prompt("Tag to add to the selected orders");
    if (!name?.trim()) return;
    try {
      await ipc.ordersSetTags(selectedIds, [name.trim()], []);
      setActionError(null);
      refresh();
    } catch (e) {
      setActionError(e as AppError);
    }
  };

  return (
    <section aria-labelledby="orders-title" data-page="orders" className="page-fill">
      <header className="page-header">
        <h1 id="orders-title">Orders</h1>
        <button type="button" onClick={() => setDialog("new")} data-action="new-order">
          New order
        </button>
        <button type="button" className="primary" onClick={() => setDialog("import")} data-action="import">
          Import orders
        </button>
      </header>
      <ScanField
        ref={scanBox}
        note={scanNote}
        onNote={setScanNote}
        onShip={(order) => {
          setScanNote(null);
          setScanned(true);
          setShipping([order]);
        }}
      />
      <div className="toolbar" role="search">
        <input
          ref={searchBox}
          type="search"
          className="search"
          placeholder="Search orders, names, addresses, SKUs  ( / )"
          aria-label="Search orders"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="orders-search"
        />
        <label>
          Status{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as OrderStatus | "")} aria-label="Filter by status">
            <option value="">Any</option>
            <option value="awaiting_shipment">Awaiting shipment</option>
            <option value="on_hold">On hold</option>
            <option value="shipped">Shipped</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </label>
        <label>
          Tag{" "}
          <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label="Filter by tag">
            <option value="">Any</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
        </label>
        <span className="count" aria-live="polite" data-testid="orders-count">
          {total == null ? "Loading…" : `${formatCount(total)} order${total === 1 ? "" : "s"}`}
        </span>
      </div>
      {/* Always there, one height: selecting never moves the rows under the pointer. */}
      {selectedIds.length === 0 ? (
        <p className="selection-bar idle muted" data-testid="selection-hint">
          Click an order number to open it. Select orders (click, Shift/Ctrl+click, or Space) to ship, archive or tag them.
        </p>
      ) : (
        <div className="selection-bar" role="toolbar" aria-label="Selected orders">
          <span>{selectedIds.length} selected</span>
          <button type="button" className="primary" onClick={() => ship(selectedIds)} data-action="ship" title="Ship the selected orders (S)" aria-keyshortcuts="S">
            Ship
          </button>
          <button type="button" onClick={() => archive(true)} data-action="archive">
            Archive
          </button>
          <button type="button" onClick={() => archive(false)} data-action="unarchive">
            Unarchive
          </button>
          <button type="button" onClick={addTag}>
            Add tag…
          </button>
          <button type="button" onClick={() => setSelection(EMPTY_SELECTION)}>
            Clear selection
          </button>
        </div>
      )}
      {actionError && <ErrorNotice error={actionError} />}
      {error && <ErrorNotice error={error} title="Orders could not be loaded" />}
      {total === 0 && !filtering ? (
        <EmptyState title="No orders yet — Import orders">
          <p>
            Bring in a marketplace export (Shopify, Etsy, eBay, Amazon, WooCommerce) or any spreadsheet of orders, or
            enter an order by hand.
          </p>
          <button type="button" className="primary" onClick={() => setDialog("import")}>
            Import orders
          </button>
        </EmptyState>
      ) : total === 0 && nothingToSearch ? (
        <EmptyState title="Type letters or numbers to search">
          <p>Search finds words in order numbers, names, addresses, SKUs and item titles; punctuation and symbols alone match nothing.</p>
        </EmptyState>
      ) : total === 0 ? (
        <EmptyState title="No orders match">
          <p>Try fewer words, another status or tag, or include archived orders.</p>
        </EmptyState>
      ) : (
        <OrdersTable
          total={total ?? 0}
          rowAt={rowAt}
          query={query}
          onSort={(s) => setSort((cur) => ({ sort: s, descending: cur.sort === s ? !cur.descending : false }))}
          selection={selection}
          onSelection={setSelection}
          onOpen={setOpen}
        />
      )}
      {open && (
        <OrderDrawer
          key={open.id}
          order={open}
          notice={created === open.order_number ? `Order ${open.order_number} saved.` : null}
          onClose={() => {
            setOpen(null);
            setCreated(null);
          }}
          onShip={() => ship([open.id])}
          onSaved={(o) => {
            setOpen(o);
            refresh();
          }}
        />
      )}
      {shipping && (
        <ShipDialog
          orders={shipping}
          scan={scanned ? scanMode : undefined}
          onClose={closeShipping}
          onShipped={() => {
            refresh();
            if (open) ipc.ordersGet(open.id).then(setOpen, () => undefined);
          }}
        />
      )}
      {dialog === "import" && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={() => {
            refresh();
          }}
        />
      )}
      {dialog === "new" && (
        <ModalDialog titleId="new-order-title" onEscape={() => setDialog(null)} testId="new-order-dialog">
          <h2 id="new-order-title">New order</h2>
          <OrderForm
            onCancel={() => setDialog(null)}
            onSave={async (input) => {
              const o = await ipc.ordersCreate(input);
              setDialog(null);
              refresh();
              setCreated(o.order_number);
              setOpen(o);
            }}
          />
        </ModalDialog>
      )}
    </section>
  );
}
