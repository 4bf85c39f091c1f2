import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { Order, OrderQuery } from "../../ipc";
import type { OrderSort } from "../../bindings/OrderSort";
import { INTERNATIONAL_NOTE, STATUS_LABELS, countryName, formatDate, isInternational, itemsLine, placeLine } from "../../format";

const ROW_HEIGHT = 30;
const OVERSCAN = 10;

/** `mark`: a short flag shown before the cell's text (with its explanation as the tooltip). */
type Column = { key: string; label: string; sort?: OrderSort; width: string; render: (o: Order) => string; mark?: (o: Order) => { text: string; title: string } | null };

const COLUMNS: Column[] = [
  { key: "number", label: "Order #", sort: "order_number", width: "120px", render: (o) => o.order_number },
  { key: "date", label: "Ordered", sort: "ordered_at", width: "110px", render: (o) => formatDate(o.ordered_at ?? o.created_at) },
  { key: "name", label: "Ship to", sort: "name", width: "minmax(140px, 1.2fr)", render: (o) => o.ship_to.name },
  {
    key: "place",
    label: "City, state, ZIP",
    width: "minmax(160px, 1.2fr)",
    render: (o) => placeLine(o.ship_to),
    mark: (o) =>
      isInternational(o.ship_to) ? { text: o.ship_to.country, title: `${INTERNATIONAL_NOTE} (${countryName(o.ship_to.country)})` } : null,
  },
  {
    key: "items",
    label: "Items",
    width: "minmax(160px, 1.5fr)",
    render: (o) => itemsLine(o.items),
  },
  { key: "status", label: "Status", sort: "status", width: "130px", render: (o) => STATUS_LABELS[o.status] ?? o.status },
  { key: "tags", label: "Tags", width: "minmax(80px, 0.6fr)", render: (o) => o.tags.join(", ") },
];
const TEMPLATE = `36px ${COLUMNS.map((c) => c.width).join(" ")}`;

export type Selection = { ids: Set<number>; anchor: number | null };

export function OrdersTable(props: {
  total: number;
  rowAt: (i: number) => Order | undefined;
  query: OrderQuery;
  onSort: (sort: OrderSort) => void;
  selection: Selection;
  onSelection: (s: Selection) => void;
  onOpen: (o: Order) => void;
}) {
  const { total, rowAt, query, selection, onSelection } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [focus, setFocus] = useState(0);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 600);
    measure();
    const ro = typeof ResizeObserver !== "undefined" ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows: { index: number; order: Order | undefined }[] = [];
  for (let i = first; i < last; i++) rows.push({ index: i, order: rowAt(i) });

  /** Shift+click: the rows from the anchor to `index` join the selection (kept with Ctrl). */
  const extendTo = (index: number, keep: boolean) => {
    const ids = new Set(keep ? selection.ids : []);
    const anchor = selection.anchor ?? index;
    const [a, b] = [Math.min(anchor, index), Math.max(anchor, index)];
    for (let i = a; i <= b; i++) {
      const o = rowAt(i);
      if (o) ids.add(o.id);
    }
    onSelection({ ids, anchor });
  };

  const click = (e: MouseEvent, index: number, order: Order) => {
    setFocus(index);
    const ids = new Set(e.ctrlKey || e.metaKey ? selection.ids : []);
    if (e.shiftKey && selection.anchor != null) {
      extendTo(index, e.ctrlKey || e.metaKey);
      return;
    }
    if ((e.ctrlKey || e.metaKey) && selection.ids.has(order.id)) ids.delete(order.id);
    else ids.add(order.id);
    onSelection({ ids, anchor: index });
  };

  const toggle = (index: number, order: Order) => {
    const ids = new Set(selection.ids);
    if (ids.has(order.id)) ids.delete(order.id);
    else ids.add(order.id);
    onSelection({ ids, anchor: index });
  };

  const keyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const move = (to: number) => {
      const i = Math.max(0, Math.min(total - 1, to));
      setFocus(i);
      const el = scroller.current;
      if (el) {
        const top = i * ROW_HEIGHT;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
      }
      const o = rowAt(i);
      if (!o) return;
      if (e.shiftKey && selection.anchor != null) {
        const ids = new Set<number>();
        const [a, b] = [Math.min(selection.anchor, i), Math.max(selection.anchor, i)];
        for (let k = a; k <= b; k++) {
          const r = rowAt(k);
          if (r) ids.add(r.id);
        }
        onSelection({ ids, anchor: selection.anchor });
      } else {
        onSelection({ ids: new Set([o.id]), anchor: i });
      }
    };
    if (e.key === "ArrowDown") {
      e.preventDefault();
      move(focus + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(focus - 1);
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      move(e.key === "Home" ? 0 : total - 1);
    } else if (e.key === "PageDown" || e.key === "PageUp") {
      e.preventDefault();
      const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
      move(focus + (e.key === "PageDown" ? page : -page));
    } else if (e.key === " ") {
      e.preventDefault();
      const o = rowAt(focus);
      if (o) toggle(focus, o);
    } else if (e.key === "Enter") {
      const o = rowAt(focus);
      if (o) props.onOpen(o);
    }
    // Ctrl+A (select every order) is the page's: it works wherever the focus is.
  };

  return (
    <div className="table" role="grid" aria-rowcount={total + 1} aria-label="Orders" aria-multiselectable="true">
      <div className="thead" role="row" style={{ gridTemplateColumns: TEMPLATE }}>
        <span role="columnheader" aria-label="Selected" />
        {COLUMNS.map((c) => {
          const active = c.sort && (query.sort ?? "order_number") === c.sort;
          return (
            <span
              key={c.key}
              role="columnheader"
              aria-sort={active ? (query.descending ? "descending" : "ascending") : undefined}
            >
              {c.sort ? (
                <button type="button" className="sort" data-sort={c.sort} onClick={() => props.onSort(c.sort!)}>
                  {c.label}
                  {active ? (query.descending ? " ▼" : " ▲") : ""}
                </button>
              ) : (
                c.label
              )}
            </span>
          );
        })}
      </div>
      <div
        className="tbody"
        ref={scroller}
        tabIndex={0}
        aria-label="Orders: arrow keys move, Space selects, Enter opens"
        aria-activedescendant={rowAt(focus) ? `order-row-${focus}` : undefined}
        onKeyDown={keyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="orders-scroller"
      >
        <div style={{ height: total * ROW_HEIGHT, position: "relative" }}>
          {rows.map(({ index, order }) => (
            <div
              key={index}
              id={`order-row-${index}`}
              role="row"
              aria-rowindex={index + 2}
              aria-selected={order ? selection.ids.has(order.id) : false}
              className={`tr${index === focus ? " focused" : ""}`}
              data-order={order?.order_number}
              style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT, gridTemplateColumns: TEMPLATE }}
              onClick={(e) => order && click(e, index, order)}
              // Shift+click extends the selection; it must not select the page's text as well.
              onMouseDown={(e) => e.shiftKey && e.preventDefault()}
              onDoubleClick={() => order && props.onOpen(order)}
            >
              {order ? (
                <>
                  <span role="gridcell">
                    <input
                      type="checkbox"
                      aria-label={`Select order ${order.order_number}`}
                      checked={selection.ids.has(order.id)}
                      tabIndex={-1}
                      // The click decides (the checkbox shows the selection): Shift+click extends
                      // from the anchor as on the row, a plain click toggles this order.
                      onClick={(e) => {
                        e.stopPropagation();
                        setFocus(index);
                        if (e.shiftKey && selection.anchor != null) extendTo(index, true);
                        else toggle(index, order);
                      }}
                      onChange={() => undefined}
                    />
                  </span>
                  <span role="gridcell" title={`Open order ${order.order_number}`}>
                    <button
                      type="button"
                      className="link order-link"
                      tabIndex={-1}
                      onClick={(e) => {
                        e.stopPropagation();
                        setFocus(index);
                        props.onOpen(order);
                      }}
                      data-open-order={order.order_number}
                    >
                      {order.order_number}
                    </button>
                  </span>
                  {COLUMNS.filter((c) => c.key !== "number").map((c) => {
                    const mark = c.mark?.(order);
                    return (
                      <span role="gridcell" key={c.key} title={mark ? `${c.render(order)} — ${mark.title}` : c.render(order)}>
                        {mark && (
                          <span className="cell-mark" data-testid="international-mark" aria-label={mark.title}>
                            {mark.text}
                          </span>
                        )}
                        {c.render(order)}
                      </span>
                    );
                  })}
                </>
              ) : (
                <span role="gridcell" className="loading-row">
                  Loading…
                </span>
              )}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
