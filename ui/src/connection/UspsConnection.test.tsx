import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, act, within } from "@testing-library/react";
import type { AppError, ConnectionSnapshot, ConnectionState } from "../ipc";
import { account, connectionSnapshot, NEEDS_RECONNECT } from "./testAccounts";

const uspsAccounts = vi.fn();
const uspsSignInStart = vi.fn();
const uspsSignInFinish = vi.fn();
const uspsSignInCancel = vi.fn();
const uspsSnoozePrompt = vi.fn();
const uspsKeepSecretsInMemory = vi.fn();
const uspsConnection = vi.fn();
let emit: (snapshot: ConnectionSnapshot) => void = notSubscribed;

function notSubscribed(): void {
  throw new Error("the provider has not subscribed to usps://connection yet");
}

vi.mock("../ipc", async (orig) => {
  const real = await orig<typeof import("../ipc")>();
  return {
    ...real,
    ipc: {
      appReady: async () => 1,
      doctor: async () => ({ version: "0.1.0", build: "debug build for x86_64-linux", data_dir: "/tmp/x", data_dir_source: "default", database_path: "/tmp/x/db", schema_version: 3, latest_schema_version: 3, environment: "sandbox", platform_apps: [] }),
      ordersList: async () => ({ orders: [], total: 0 }),
      ordersTags: async () => [],
      shipments: async () => [], scanForms: async () => [], shipFromList: async () => [], pickups: async () => [],
      uspsAccounts: () => uspsAccounts(),
      uspsSignInStart: (r: unknown) => uspsSignInStart(r),
      uspsSignInFinish: (id: number) => uspsSignInFinish(id),
      uspsSignInCancel: (id: number) => uspsSignInCancel(id),
      uspsSnoozePrompt: (id: number) => uspsSnoozePrompt(id),
      uspsConnection: () => uspsConnection(),
      uspsKeepSecretsInMemory: () => uspsKeepSecretsInMemory(),
      uspsSecretsInMemory: async () => false,
      uspsRedirectPort: async () => 8765,
      uspsSandboxInfo: async () => ({ base_url: "http://127.0.0.1:4000/", demo_username: "demo", demo_password: "pw", contract_username: "nsa" }),
    },
    events: {
      onImportProgress: async () => () => undefined,
      onUspsConnection: async (h: (snapshot: ConnectionSnapshot) => void) => {
        emit = h;
        return () => undefined;
      },
    },
  };
});

import { UspsConnectionProvider, useConnectionBanner, useUspsErrors } from "./UspsConnection";
import { App } from "../App";

/** Core as the UI sees it: the snapshots it emits, each with a higher revision. */
const core = {
  revision: 1,
  snapshot(state: ConnectionState, prompt: boolean): ConnectionSnapshot {
    return connectionSnapshot(this.revision, [{ account_id: 1, nickname: "Sandbox demo", state, prompt }]);
  },
  /** What a window that opens reads. */
  opens(state: ConnectionState, prompt: boolean) {
    uspsConnection.mockResolvedValue(this.snapshot(state, prompt));
  },
  /** A change core broadcasts (once the provider has subscribed). */
  async emits(state: ConnectionState, prompt: boolean) {
    this.revision += 1;
    const snapshot = this.snapshot(state, prompt);
    await waitFor(() => expect(emit).not.toBe(notSubscribed));
    await act(async () => emit(snapshot));
  },
};

const CONNECTED: ConnectionState = { state: "connected" };

/** The reconnect error core answers a failed call with; `prompt` is core's decision. */
function reconnectError(prompt: boolean, state: ConnectionState = NEEDS_RECONNECT): AppError {
  return {
    code: "USPS_RECONNECT_REQUIRED",
    message: "Your USPS connection (Sandbox demo) needs to be renewed. USPS no longer accepts the saved authorization.",
    details: { kind: "usps_connection", account_id: 1, nickname: "Sandbox demo", state, prompt },
  };
}
const RECONNECT = reconnectError(true);
/** The same failure while "Remind Me Later" holds. */
const RECONNECT_SNOOZED = reconnectError(false);

/** A page that asks USPS for rates and hands failures to the connection provider. */
function RatesProbe({ error, retry, onHandled }: { error: AppError | (() => AppError); retry?: () => void; onHandled?: (taken: boolean) => void }) {
  const handle = useUspsErrors();
  const banner = useConnectionBanner();
  return (
    <div>
      <button
        onClick={() => {
          const taken = handle(typeof error === "function" ? error() : error, retry);
          onHandled?.(taken);
        }}
      >
        Get rates
      </button>
      <span data-testid="needs-reconnect">{String(banner.needsReconnect)}</span>
    </div>
  );
}

function renderProbe(error: AppError | (() => AppError), retry?: () => void, onHandled?: (taken: boolean) => void) {
  return render(
    <UspsConnectionProvider>
      <RatesProbe error={error} retry={retry} onHandled={onHandled} />
    </UspsConnectionProvider>,
  );
}

const connectedOutcome = { account: account(1), warnings: [] };

/** A failed call as core answers it: the state change is broadcast, the error points at it. */
async function failsWithReconnect() {
  fireEvent.click(screen.getByText("Get rates"));
  await core.emits(NEEDS_RECONNECT, true);
}

function resetCore() {
  emit = notSubscribed;
  core.revision = 1;
  core.opens(CONNECTED, false);
}

describe("USPS connection prompt", () => {
  beforeEach(() => {
    cleanup();
    window.location.hash = "";
    resetCore();
    uspsAccounts.mockReset().mockResolvedValue([account(1)]);
    uspsSignInStart.mockReset().mockResolvedValue({ id: 7, url: "http://127.0.0.1:4000/cop-navigator?state=abc", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockReset();
    uspsSignInCancel.mockReset().mockResolvedValue(undefined);
    uspsSnoozePrompt.mockReset().mockResolvedValue("2026-11-22T05:59:59Z");
  });

  it("opens the accessible prompt on a reconnect error and takes the error over", async () => {
    const handled = vi.fn();
    renderProbe(RECONNECT, () => undefined, handled);
    await waitFor(() => expect(uspsConnection).toHaveBeenCalled());
    await failsWithReconnect();
    const dialog = await screen.findByRole("dialog", { name: "Your USPS connection needs to be renewed" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(handled).toHaveBeenCalledWith(true);
    expect(screen.getAllByRole("dialog")).toHaveLength(1);
    expect(within(dialog).getByRole("button", { name: "Reconnect" })).toBeTruthy();
    expect(within(dialog).getByRole("button", { name: "Remind Me Later" })).toBeTruthy();
    expect(document.activeElement && dialog.contains(document.activeElement)).toBe(true);
    expect(screen.getByTestId("needs-reconnect").textContent).toBe("true");
    expect(screen.getByTestId("usps-banner").textContent).toContain("USPS needs to be reconnected");
  });

  it("opens the prompt when the error arrives after core's snapshot, too", async () => {
    renderProbe(RECONNECT);
    await waitFor(() => expect(uspsConnection).toHaveBeenCalled());
    await core.emits(NEEDS_RECONNECT, true);
    fireEvent.click(screen.getByText("Get rates"));
    await screen.findByRole("dialog", { name: "Your USPS connection needs to be renewed" });
    expect(screen.getAllByRole("dialog")).toHaveLength(1);
  });

  it("keeps Tab inside the prompt and treats Escape as Remind Me Later", async () => {
    renderProbe(RECONNECT);
    await failsWithReconnect();
    const dialog = await screen.findByRole("dialog");
    const reconnect = within(dialog).getByRole("button", { name: "Reconnect" });
    const later = within(dialog).getByRole("button", { name: "Remind Me Later" });
    later.focus();
    fireEvent.keyDown(later, { key: "Tab" });
    expect(document.activeElement).toBe(reconnect);
    fireEvent.keyDown(reconnect, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(later);
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(uspsSnoozePrompt).toHaveBeenCalledWith(1);
    expect(screen.getByTestId("usps-banner")).toBeTruthy();
  });

  it("reconnects, then offers the failed action again with Retry", async () => {
    let finish!: (v: unknown) => void;
    uspsSignInFinish.mockReturnValue(new Promise((r) => (finish = r)));
    const retry = vi.fn();
    renderProbe(RECONNECT, retry);
    await failsWithReconnect();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Reconnect" }));
    await screen.findByText("Waiting for USPS sign-in…");
    expect(uspsSignInStart).toHaveBeenCalledWith(expect.objectContaining({ account: 1 }));
    expect((screen.getByLabelText("USPS sign-in address") as HTMLInputElement).value).toContain("/cop-navigator");
    expect(uspsSignInFinish).toHaveBeenCalledWith(7);
    await act(async () => finish(connectedOutcome));
    await core.emits(CONNECTED, false);
    const dialog = await screen.findByRole("dialog", { name: "USPS is connected again" });
    expect(retry).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Retry" }));
    expect(retry).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(screen.queryByTestId("usps-banner")).toBeNull());
  });

  it("says plainly when USPS refused the sign-in and lets the user try again", async () => {
    uspsSignInFinish.mockRejectedValue({ code: "CANCELLED", message: "Access was not granted at USPS (the consent was cancelled)." });
    renderProbe(RECONNECT);
    await failsWithReconnect();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Reconnect" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Access was not granted at USPS");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("shows what is missing for a not-entitled account, without a reconnect prompt", async () => {
    const handled = vi.fn();
    const state: ConnectionState = {
      state: "not_entitled",
      missing: ["Labels and Payments"],
      fix: "Submit a service request, then refresh claims in the Customer Onboarding Portal.",
    };
    const notEntitled: AppError = {
      code: "USPS_NOT_ENTITLED",
      message: "USPS has not granted this app the Labels and Payments product.",
      details: { kind: "usps_connection", account_id: 1, nickname: "Sandbox demo", state, prompt: false },
    };
    renderProbe(notEntitled, undefined, handled);
    fireEvent.click(screen.getByText("Get rates"));
    await core.emits(state, false);
    const diagnosis = await screen.findByTestId("usps-diagnosis");
    expect(handled).toHaveBeenCalledWith(true);
    expect(diagnosis.textContent).toContain("Labels and Payments");
    expect(diagnosis.textContent).toContain("refresh claims in the Customer Onboarding Portal");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByTestId("usps-banner")).toBeNull();
  });

  it("reads the connection a purchase failed on through the purchase's details", async () => {
    const handled = vi.fn();
    const buyFailed: AppError = { ...RECONNECT, details: { kind: "purchase", order_id: 9, attempt_id: 4, cause: RECONNECT.details ?? null } };
    renderProbe(buyFailed, undefined, handled);
    await failsWithReconnect();
    expect(handled).toHaveBeenCalledWith(true);
    await screen.findByRole("dialog", { name: "Your USPS connection needs to be renewed" });
  });

  it("leaves a disconnected account's error to the page: core does not prompt for it", () => {
    const handled = vi.fn();
    renderProbe(reconnectError(false, { state: "disconnected" }), undefined, handled);
    fireEvent.click(screen.getByText("Get rates"));
    expect(handled).toHaveBeenCalledWith(false);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("says plainly when the keyring is unavailable and retries with secrets kept in memory", async () => {
    uspsKeepSecretsInMemory.mockReset().mockResolvedValue(undefined);
    const retry = vi.fn();
    const handled = vi.fn();
    renderProbe({ code: "SECRET_STORE_UNAVAILABLE", message: "No Secret Service is running." }, retry, handled);
    fireEvent.click(screen.getByText("Get rates"));
    expect(handled).toHaveBeenCalledWith(true);
    const dialog = await screen.findByRole("dialog", { name: "Shipdesk cannot reach your system keyring" });
    expect(dialog.textContent).toContain("No Secret Service is running.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep this session in memory only" }));
    await waitFor(() => expect(retry).toHaveBeenCalledTimes(1));
    expect(uspsKeepSecretsInMemory).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("leaves other errors to the page", () => {
    const handled = vi.fn();
    renderProbe({ code: "USPS_REJECTED", message: "ZIP does not match" }, undefined, handled);
    fireEvent.click(screen.getByText("Get rates"));
    expect(handled).toHaveBeenCalledWith(false);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByTestId("usps-diagnosis")).toBeNull();
  });
});

describe("Remind Me Later", () => {
  beforeEach(() => {
    cleanup();
    window.location.hash = "";
    resetCore();
    uspsAccounts.mockReset().mockResolvedValue([account(1)]);
    // Core snoozes and broadcasts the snapshot that says so.
    uspsSnoozePrompt.mockReset().mockImplementation(async () => {
      await core.emits(NEEDS_RECONNECT, false);
      return "2026-11-22T05:59:59Z";
    });
  });

  it("snoozes the prompt and keeps the banner on every page", async () => {
    render(<App />);
    await waitFor(() => expect(uspsConnection).toHaveBeenCalled());
    uspsAccounts.mockResolvedValue([account(1, NEEDS_RECONNECT)]);
    await core.emits(NEEDS_RECONNECT, true);
    const dialog = await screen.findByRole("dialog", { name: "Your USPS connection needs to be renewed" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Remind Me Later" }));
    expect(uspsSnoozePrompt).toHaveBeenCalledWith(1);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    for (const [label, heading] of [["Shipments", "Shipments"], ["End of Day", "End of Day"], ["Settings", "Settings"], ["Orders", "Orders"]]) {
      fireEvent.click(screen.getByRole("link", { name: label }));
      expect(await screen.findByRole("heading", { name: heading, level: 1 })).toBeTruthy();
      const banner = screen.getByTestId("usps-banner");
      expect(banner.textContent).toContain("USPS needs to be reconnected");
      expect(within(banner).getByRole("button", { name: "Reconnect" })).toBeTruthy();
    }
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("shows the banner from the snapshot a window reads when it opens, without a prompt", async () => {
    core.opens(NEEDS_RECONNECT, true);
    uspsAccounts.mockResolvedValue([account(1, NEEDS_RECONNECT)]);
    render(<App />);
    expect((await screen.findByTestId("usps-banner")).textContent).toContain("Sandbox demo");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("keeps the newest snapshot when an older answer arrives after an event", async () => {
    let answer!: (s: ConnectionSnapshot) => void;
    uspsConnection.mockReturnValue(new Promise((r) => (answer = r)));
    renderProbe(RECONNECT);
    await core.emits(NEEDS_RECONNECT, true);
    expect(await screen.findByTestId("usps-banner")).toBeTruthy();
    await act(async () => answer(connectionSnapshot(1, [{ account_id: 1, nickname: "Sandbox demo", state: CONNECTED, prompt: false }])));
    expect(screen.getByTestId("usps-banner")).toBeTruthy();
  });

  it("while snoozed, a failure parks its retry and reconnecting elsewhere offers it", async () => {
    const retry = vi.fn();
    let error = RECONNECT;
    renderProbe(() => error, retry);
    await failsWithReconnect();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Remind Me Later" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    error = RECONNECT_SNOOZED;
    fireEvent.click(screen.getByText("Get rates"));
    expect(screen.queryByRole("dialog")).toBeNull();
    await core.emits(CONNECTED, false);
    const offer = await screen.findByTestId("usps-retry-offer");
    expect(screen.queryByTestId("usps-banner")).toBeNull();
    fireEvent.click(within(offer).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(retry).toHaveBeenCalledTimes(1));
  });

  it("does not offer a retry whose screen is gone", async () => {
    const retry = vi.fn();
    const view = render(
      <UspsConnectionProvider>
        <RatesProbe error={RECONNECT} retry={retry} />
      </UspsConnectionProvider>,
    );
    await failsWithReconnect();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Remind Me Later" }));
    view.rerender(
      <UspsConnectionProvider>
        <p>Another page</p>
      </UspsConnectionProvider>,
    );
    await core.emits(CONNECTED, false);
    await waitFor(() => expect(screen.queryByTestId("usps-banner")).toBeNull());
    expect(screen.queryByTestId("usps-retry-offer")).toBeNull();
    expect(retry).not.toHaveBeenCalled();
  });

  it("the banner's Reconnect signs in at once and then offers the parked retry", async () => {
    uspsSignInStart.mockReset().mockResolvedValue({ id: 8, url: "http://127.0.0.1:4000/cop-navigator", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockReset().mockResolvedValue(connectedOutcome);
    const retry = vi.fn();
    renderProbe(RECONNECT, retry);
    await failsWithReconnect();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Remind Me Later" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    fireEvent.click(within(screen.getByTestId("usps-banner")).getByRole("button", { name: "Reconnect" }));
    const done = await screen.findByRole("dialog", { name: "USPS is connected again" });
    expect(uspsSignInStart).toHaveBeenCalledWith(expect.objectContaining({ account: 1 }));
    fireEvent.click(within(done).getByRole("button", { name: "Retry" }));
    expect(retry).toHaveBeenCalledTimes(1);
  });
});
