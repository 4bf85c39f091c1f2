import { call, subscribe } from "./core";
import type { Order } from "../bindings/Order";
import type { OrderInput } from "../bindings/OrderInput";
import type { OrderPage } from "../bindings/OrderPage";
import type { OrderQuery } from "../bindings/OrderQuery";
import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportSummary } from "../bindings/ImportSummary";
import type { Progress } from "../bindings/Progress";
import type { ScannedOrder } from "../bindings/ScannedOrder";

export type { Order, OrderInput, OrderPage, OrderQuery, ColumnMapping, ImportOptions, ImportPreview, ImportSummary, Progress, ScannedOrder };

export const ordersIpc = {
  ordersList: (query: OrderQuery) => call<OrderPage>("orders_list", { query }),
  ordersGet: (id: number) => call<Order>("orders_get", { id }),
  /** Scan-to-ship: the order a scanned code names, and why not to ship it (if so). */
  ordersScan: (code: string) => call<ScannedOrder>("orders_scan", { code }),
  ordersCreate: (input: OrderInput) => call<Order>("orders_create", { input }),
  ordersUpdate: (id: number, input: OrderInput) => call<Order>("orders_update", { id, input }),
  ordersArchive: (ids: number[], archived: boolean) => call<number>("orders_archive", { ids, archived }),
  ordersSetTags: (ids: number[], add: string[], remove: string[]) => call<void>("orders_set_tags", { ids, add, remove }),
  ordersTags: () => call<string[]>("orders_tags"),
  /** `path` must come from `pickOrderFile`: the app reads only files picked in its dialog. */
  importPreview: (path: string, mapping: ColumnMapping | null) => call<ImportPreview>("orders_import_preview", { path, mapping }),
  importOrders: (path: string, options: ImportOptions) => call<ImportSummary>("orders_import", { path, options }),
  importCancel: () => call<void>("orders_import_cancel"),
  mappingsList: () => call<ColumnMapping[]>("mappings_list"),
  mappingSave: (mapping: ColumnMapping) => call<void>("mapping_save", { mapping }),
  mappingDelete: (name: string) => call<void>("mapping_delete", { name }),

  /** The OS file dialog, shown by the app; resolves to the picked path (now importable) or null when the user cancels. */
  pickOrderFile: () => call<string | null>("orders_import_pick_file"),
};

export const ordersEvents = {
  onImportProgress: (handler: (p: Progress) => void) => subscribe<Progress>("import://progress", handler),
};
