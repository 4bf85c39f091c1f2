// The IPC transport: every @tauri-apps/* import lives in this folder (ui/src/ipc/). Area modules
// (orders.ts, carriers.ts, shipping.ts) build typed calls on `call`; the rest of the UI imports
// from "../ipc" only, so tests mock one module.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";

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

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}

export type { UnlistenFn };
