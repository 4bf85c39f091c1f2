// The Ship dialog with the real connection provider: USPS needs to be reconnected, the dialog
// asks, the Reconnect prompt appears, the user chooses Remind Me Later. The dialog must not stay
// on "Asking USPS about …": it says what it waits for, Get rates says it too, Reconnect is
// offered in the dialog, and Escape closes it.
import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, act, within } from "@testing-library/react";
import type { AppError, ConnectionSnapshot, ConnectionState } from "../../ipc";
import { account, connectionSnapshot, NEEDS_RECONNECT } from "../../connection/testAccounts";
import { CHECK, RATES, SHIP_FROM, order } from "./testData";

const m = {
  checkOrderAddress: vi.fn(),
  ratesForOrder: vi.fn(),
  uspsConnection: vi.fn(),
  uspsSnoozePrompt: vi.fn(),
  uspsSignInStart: vi.fn(),
  uspsSignInFinish: vi.fn(),
  uspsSignInCancel: vi.fn(),
};
let emit: ((snapshot: ConnectionSnapshot) => void) | null = null;

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      packagePresets: async () => [],
      shipFromList: async () => [SHIP_FROM],
      checkOrderAddress: (id: number) => m.checkOrderAddress(id),
      ratesForOrder: (...a: unknown[]) => m.ratesForOrder(...a),
      uspsAccounts: async () => [account(1, NEEDS_RECONNECT)],
      uspsConnection: () => m.uspsConnection(),
      uspsSnoozePrompt: (id: number) => m.uspsSnoozePrompt(id),
      uspsSignInStart: (r: unknown) => m.uspsSignInStart(r),
      uspsSignInFinish: (id: number) => m.uspsSignInFinish(id),
      uspsSignInCancel: (id: number) => m.uspsSignInCancel(id),
    },
    events: {
      onUspsConnection: async (h: (snapshot: ConnectionSnapshot) => void) => {
        emit = h;
        return () => undefined;
      },
    },
  };
});

import { UspsConnectionProvider } from "../../connection/UspsConnection";
import { ShipDialog } from "./ShipDialog";

let revision = 1;
function snapshot(state: ConnectionState, prompt: boolean): ConnectionSnapshot {
  return connectionSnapshot(revision, [{ account_id: 1, nickname: "Sandbox demo", state, prompt }]);
}

/** The error core answers every USPS call with while the account needs to sign in again. */
function reconnectError(prompt: boolean): AppError {
  return {
    code: "USPS_RECONNECT_REQUIRED",
    message: "Your USPS connection (Sandbox demo) needs to be renewed. USPS no longer accepts the saved authorization.",
    details: { kind: "usps_connection", account_id: 1, nickname: "Sandbox demo", state: NEEDS_RECONNECT, prompt },
  };
}

/** Core as it behaves: prompts until Remind Me Later, then answers "snoozed" and broadcasts it. */
let snoozed = false;

function renderDialog(onClose = vi.fn()) {
  render(
    <UspsConnectionProvider>
      <ShipDialog orders={[order(1)]} onClose={onClose} onShipped={() => undefined} />
    </UspsConnectionProvider>,
  );
  return onClose;
}

async function remindMeLater() {
  const prompt = await screen.findByTestId("reconnect-prompt");
  expect(prompt.textContent).toContain("Your USPS connection needs to be renewed");
  fireEvent.click(within(prompt).getByRole("button", { name: "Remind Me Later" }));
  await waitFor(() => expect(m.uspsSnoozePrompt).toHaveBeenCalledWith(1));
  await waitFor(() => expect(screen.queryByTestId("reconnect-prompt")).toBeNull());
}

describe("Ship dialog after Remind Me Later", () => {
  beforeEach(() => {
    cleanup();
    window.location.hash = "";
    Object.values(m).forEach((f) => f.mockReset());
    revision = 1;
    snoozed = false;
    emit = null;
    m.uspsConnection.mockImplementation(async () => snapshot(NEEDS_RECONNECT, !snoozed));
    m.uspsSnoozePrompt.mockImplementation(async () => {
      snoozed = true;
      revision += 1;
      const next = snapshot(NEEDS_RECONNECT, false);
      // Core answers, then broadcasts the snapshot that says so.
      setTimeout(() => act(() => emit?.(next)), 0);
      return "2026-11-22T05:59:59Z";
    });
    m.checkOrderAddress.mockImplementation(async () => {
      throw reconnectError(!snoozed);
    });
    m.ratesForOrder.mockImplementation(async () => {
      throw reconnectError(!snoozed);
    });
    m.uspsSignInStart.mockResolvedValue({ id: 7, url: "http://127.0.0.1:4000/cop-navigator?state=abc", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    m.uspsSignInFinish.mockReturnValue(new Promise(() => undefined));
    m.uspsSignInCancel.mockResolvedValue(undefined);
  });

  it("says what waits for the reconnect, Get rates says it too, and Escape closes the dialog", async () => {
    const onClose = renderDialog();
    await remindMeLater();

    const dialog = screen.getByTestId("ship-dialog");
    expect(dialog.textContent).not.toContain("Asking USPS about");
    const needed = within(dialog).getAllByTestId("reconnect-needed").map((n) => n.textContent);
    expect(needed).toEqual([
      expect.stringContaining("USPS needs to be reconnected before the address can be checked."),
      expect.stringContaining("USPS needs to be reconnected before rates can be fetched."),
    ]);

    // Get rates asks again and, still snoozed, answers in the dialog (no prompt, no silence).
    const asked = m.ratesForOrder.mock.calls.length;
    fireEvent.click(within(dialog).getByRole("button", { name: "Get rates" }));
    await waitFor(() => expect(m.ratesForOrder.mock.calls.length).toBe(asked + 1));
    await waitFor(() => expect(within(dialog).queryByTestId("getting-rates")).toBeNull());
    expect(within(dialog).getAllByTestId("reconnect-needed")[1].textContent).toContain("before rates can be fetched");
    expect(screen.queryByTestId("reconnect-prompt")).toBeNull();

    // Focus went wherever the clicks left it; Escape still closes the dialog.
    (document.activeElement as HTMLElement | null)?.blur();
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("the dialog's Reconnect starts signing in at once", async () => {
    renderDialog();
    await remindMeLater();
    const [addressNeeded] = await screen.findAllByTestId("reconnect-needed");
    fireEvent.click(within(addressNeeded).getByRole("button", { name: "Reconnect" }));
    expect(await screen.findByTestId("reconnect-prompt")).toBeTruthy();
    await waitFor(() => expect(m.uspsSignInStart).toHaveBeenCalledWith(expect.objectContaining({ account: 1 })));
  });

  it("once USPS is connected again, the address can be checked from the dialog", async () => {
    renderDialog();
    await remindMeLater();
    await screen.findAllByTestId("reconnect-needed");
    m.checkOrderAddress.mockReset().mockResolvedValue(CHECK);
    m.ratesForOrder.mockReset().mockResolvedValue(RATES);
    // Reconnected elsewhere (Settings › Edit › Login): core broadcasts it.
    revision += 1;
    const back = snapshot({ state: "connected" }, false);
    await act(async () => emit?.(back));
    const reconnected = await screen.findAllByTestId("reconnected");
    fireEvent.click(within(reconnected[0]).getByRole("button", { name: "Check the address" }));
    await screen.findByTestId("address-check");
    fireEvent.click(screen.getByRole("button", { name: "Get rates" }));
    await screen.findByTestId("rates");
  });
});
