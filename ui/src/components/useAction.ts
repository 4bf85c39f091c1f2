// A form's one action at a time: whether it runs, and the error it ended with (an AppError from
// core, shown by the form beside its fields or as a notice).
import { useCallback, useState } from "react";
import type { AppError } from "../ipc";

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
