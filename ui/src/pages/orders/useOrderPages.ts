import { useCallback, useEffect, useRef, useState } from "react";
import { ipc, type AppError, type Order, type OrderQuery } from "../../ipc";

export const PAGE_SIZE = 200;

/**
 * Rows of a query, fetched a page at a time as the virtualized table scrolls to them. Changing
 * the query (or `version`, bumped after edits) starts over.
 */
export function useOrderPages(query: OrderQuery, version: number) {
  const [total, setTotal] = useState<number | null>(null);
  const [nothingToSearch, setNothingToSearch] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [, setTick] = useState(0);
  const pages = useRef(new Map<number, Order[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const key = JSON.stringify(query);

  const loadPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      const gen = generation.current;
      ipc
        .ordersList({ ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then((res) => {
          if (gen !== generation.current) return;
          pages.current.set(page, res.orders);
          setTotal(res.total);
          setNothingToSearch(res.nothing_to_search);
          setError(null);
          setTick((t) => t + 1);
        })
        .catch((e: AppError) => gen === generation.current && setError(e))
        .finally(() => pending.current.delete(page));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  useEffect(() => {
    generation.current += 1;
    pages.current = new Map();
    pending.current = new Set();
    setTotal(null);
    setNothingToSearch(false);
    loadPage(0);
  }, [key, version, loadPage]);

  const rowAt = useCallback(
    (index: number): Order | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) {
        loadPage(page);
        return undefined;
      }
      return rows[index - page * PAGE_SIZE];
    },
    [loadPage],
  );

  return { total, nothingToSearch, error, rowAt };
}
