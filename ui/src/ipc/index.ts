// The only module that imports @tauri-apps/*. Everything else calls these typed functions, so the
// UI can be tested with this module mocked and the transport can change in one place.
import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "../bindings/AppError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { DoctorReport } from "../bindings/DoctorReport";

export type { AppError, ErrorCode, DoctorReport };

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
};
