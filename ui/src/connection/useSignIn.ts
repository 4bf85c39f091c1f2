// The two-step "Sign in with USPS" as UI state: start (the core opens the browser and answers the
// consent address at once), then wait for USPS to send the browser back. Shared by Carrier
// Settings (Add, Edit › Login) and the Reconnect prompt so they behave the same.
import { useCallback, useEffect, useRef, useState } from "react";
import { ipc, type AppError, type ConnectOutcome, type SignInStart, type SignInStarted } from "../ipc";

export type SignInPhase =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "waiting"; started: SignInStarted }
  | { kind: "connected"; outcome: ConnectOutcome }
  | { kind: "failed"; error: AppError; request: SignInStart };

export function useSignIn(onConnected?: (outcome: ConnectOutcome) => void) {
  const [phase, setPhase] = useState<SignInPhase>({ kind: "idle" });
  const current = useRef<number | null>(null);
  const cancelledByUser = useRef<number | null>(null);
  const alive = useRef(true);
  const connected = useRef(onConnected);
  connected.current = onConnected;

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      // Leaving the screen mid sign-in frees the loopback port for the next attempt.
      if (current.current !== null) ipc.uspsSignInCancel(current.current).catch(() => undefined);
    };
  }, []);

  const start = useCallback(async (request: SignInStart) => {
    setPhase({ kind: "starting" });
    let started: SignInStarted;
    try {
      started = await ipc.uspsSignInStart(request);
    } catch (e) {
      if (alive.current) setPhase({ kind: "failed", error: e as AppError, request });
      return;
    }
    current.current = started.id;
    if (!alive.current) return;
    setPhase({ kind: "waiting", started });
    try {
      const outcome = await ipc.uspsSignInFinish(started.id);
      if (current.current === started.id) current.current = null;
      if (!alive.current) return;
      setPhase({ kind: "connected", outcome });
      connected.current?.(outcome);
    } catch (e) {
      if (current.current === started.id) current.current = null;
      if (!alive.current) return;
      const error = e as AppError;
      // CANCELLED also means "denied at USPS" or "timed out": only our own Cancel is silent.
      const ownCancel = error.code === "CANCELLED" && cancelledByUser.current === started.id;
      setPhase(ownCancel ? { kind: "idle" } : { kind: "failed", error, request });
    }
  }, []);

  const cancel = useCallback(async () => {
    const id = current.current;
    cancelledByUser.current = id;
    setPhase({ kind: "idle" });
    if (id !== null) await ipc.uspsSignInCancel(id).catch(() => undefined);
  }, []);

  const reset = useCallback(() => setPhase({ kind: "idle" }), []);

  return { phase, start, cancel, reset };
}
