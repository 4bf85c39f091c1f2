// The only module that imports @tauri-apps/*. Everything else calls these typed functions, so the
// UI can be tested with this module mocked and the transport can change in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { AppError } from "../bindings/AppError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { DoctorReport } from "../bindings/DoctorReport";
import type { Order } from "../bindings/Order";
import type { OrderInput } from "../bindings/OrderInput";
import type { OrderPage } from "../bindings/OrderPage";
import type { OrderQuery } from "../bindings/OrderQuery";
import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportSummary } from "../bindings/ImportSummary";
import type { Progress } from "../bindings/Progress";

export type {
  AppError,
  ErrorCode,
  DoctorReport,
  Order,
  OrderInput,
  OrderPage,
  OrderQuery,
  ColumnMapping,
  ImportOptions,
  ImportPreview,
  ImportSummary,
  Progress,
};

/** Normalizes anything a command rejects with into the `{code, message}` contract. */
export function toAppError(raw: unknown): AppError {
  if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
    return raw as AppError;
  }
  const message = typeof raw === "string" ? raw : "Something went wrong talking to the app core.";
  return { code: "INTERNAL", message };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === "object" && "code" in e && "message" in e;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export const ipc = {
  /** Tells the core the first screen is interactive; answers ms since process start. */
  appReady: () => call<number>("app_ready"),
  doctor: () => call<DoctorReport>("doctor"),

  ordersList: (query: OrderQuery) => call<OrderPage>("orders_list", { query }),
  ordersGet: (id: number) => call<Order>("orders_get", { id }),
  ordersCreate: (input: OrderInput) => call<Order>("orders_create", { input }),
  ordersUpdate: (id: number, input: OrderInput) => call<Order>("orders_update", { id, input }),
  ordersArchive: (ids: number[], archived: boolean) => call<number>("orders_archive", { ids, archived }),
  ordersSetTags: (ids: number[], add: string[], remove: string[]) =>
    call<void>("orders_set_tags", { ids, add, remove }),
  ordersTags: () => call<string[]>("orders_tags"),
  importPreview: (path: string, mapping: ColumnMapping | null) =>
    call<ImportPreview>("orders_import_preview", { path, mapping }),
  importOrders: (path: string, options: ImportOptions) => call<ImportSummary>("orders_import", { path, options }),
  importCancel: () => call<void>("orders_import_cancel"),
  mappingsList: () => call<ColumnMapping[]>("mappings_list"),
  mappingSave: (mapping: ColumnMapping) => call<void>("mapping_save", { mapping }),

  /** The OS file picker; resolves to a path or null when the user cancels. */
  pickOrderFile: async (): Promise<string | null> => {
    const picked = await openDialog({
      multiple: false,
      directory: false,
      filters: [{ name: "Order exports", extensions: ["csv", "tsv", "txt"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
};

export const events = {
  onImportProgress: (handler: (p: Progress) => void): Promise<UnlistenFn> =>
    listen<Progress>("import://progress", (e) => handler(e.payload)),
};
