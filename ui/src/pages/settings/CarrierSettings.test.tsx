import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { ConnectionCheck } from "../../ipc";
import { account } from "../../connection/testAccounts";

const uspsAccounts = vi.fn();
const uspsUpdateAccount = vi.fn();
const uspsCheck = vi.fn();
const uspsConnectOwnApp = vi.fn();
const uspsSignInStart = vi.fn();
const uspsSignInFinish = vi.fn();
const uspsKeepSecretsInMemory = vi.fn();
const uspsDisconnect = vi.fn();
const uspsConnection = vi.fn();
const uspsRemove = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      uspsAccounts: () => uspsAccounts(),
      uspsUpdateAccount: (id: number, f: unknown) => uspsUpdateAccount(id, f),
      uspsCheck: (id: number) => uspsCheck(id),
      uspsConnectOwnApp: (r: unknown) => uspsConnectOwnApp(r),
      uspsSignInStart: (r: unknown) => uspsSignInStart(r),
      uspsSignInFinish: (id: number) => uspsSignInFinish(id),
      uspsSignInCancel: async () => undefined,
      uspsKeepSecretsInMemory: () => uspsKeepSecretsInMemory(),
      uspsDisconnect: (id: number) => uspsDisconnect(id),
      uspsRemove: (id: number) => uspsRemove(id),
      uspsSetDefault: async () => account(2),
      uspsSnoozePrompt: async () => "",
      uspsConnection: () => uspsConnection(),
      uspsSecretsInMemory: async () => false,
      uspsRedirectPort: async () => 8765,
      uspsSandboxInfo: async () => ({ base_url: "http://127.0.0.1:4000/", demo_username: "demo", demo_password: "shipdesk-demo", contract_username: "nsa" }),
    },
    events: { onUspsConnection: async () => () => undefined },
  };
});

import { UspsConnectionProvider } from "../../connection/UspsConnection";
import { CarrierSettings } from "./CarrierSettings";

function renderSettings() {
  return render(
    <UspsConnectionProvider>
      <CarrierSettings />
    </UspsConnectionProvider>,
  );
}

async function openEdit(nickname: string) {
  fireEvent.click(await screen.findByRole("button", { name: `Edit ${nickname}` }));
  return screen.findByTestId("edit-account");
}

describe("Carrier Settings › USPS", () => {
  beforeEach(() => {
    cleanup();
    uspsAccounts.mockReset().mockResolvedValue([
      account(1),
      account(2, { state: "not_entitled", missing: ["Labels and Payments"], fix: "Submit a service request for Labels and Payments." }, { nickname: "Warehouse", environment: "production", crid: null, mode: { kind: "own_app", client_id: "biz-app" } }),
    ]);
    uspsUpdateAccount.mockReset();
    uspsCheck.mockReset();
    uspsConnectOwnApp.mockReset();
    uspsSignInStart.mockReset();
    uspsSignInFinish.mockReset();
    uspsKeepSecretsInMemory.mockReset().mockResolvedValue(undefined);
    uspsDisconnect.mockReset();
    uspsConnection.mockReset().mockResolvedValue({ revision: 1, accounts: [] });
    uspsRemove.mockReset();
  });

  it("lists accounts with environment, identifiers, status chip, last verified and the default", async () => {
    renderSettings();
    const table = await screen.findByTestId("usps-accounts");
    const demo = within(table).getByText("Sandbox demo").closest("tr")!;
    expect(demo.textContent).toContain("Sandbox");
    expect(demo.textContent).toContain("56982563");
    expect(demo.textContent).toContain("902345672");
    expect(demo.textContent).toContain("1000012345");
    expect(within(demo).getByText("Default")).toBeTruthy();
    expect(demo.querySelector("[data-state]")!.textContent).toBe("Connected");
    const warehouse = within(table).getByText("Warehouse").closest("tr")!;
    expect(warehouse.querySelector("[data-state]")!.textContent).toBe("Not entitled");
    expect(warehouse.textContent).toContain("Production");
    expect(within(warehouse).getByRole("button", { name: "Make Warehouse the default" })).toBeTruthy();
    expect((await screen.findByTestId("sandbox-info")).textContent).toContain("http://127.0.0.1:4000/");
  });

  it("says whether each account buys at contract prices, and who said so; Edit changes it only when the box changes", async () => {
    uspsAccounts.mockResolvedValue([
      account(1),
      account(2, { state: "connected" }, { nickname: "NSA business", has_contract: true, contract_source: "detected" }),
    ]);
    uspsUpdateAccount.mockImplementation(async (id: number) => account(id));
    renderSettings();
    const table = await screen.findByTestId("usps-accounts");
    const row = (name: string) => within(table).getByText(name).closest("tr")!.querySelector("[data-field=contract]")!.textContent;
    expect(row("Sandbox demo")).toBe("No (none found yet)");
    expect(row("NSA business")).toBe("Yes (USPS shows it)");

    let edit = await openEdit("NSA business");
    const box = within(edit).getByRole("checkbox", { name: /Contract prices/ }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.change(within(edit).getByLabelText("Nickname"), { target: { value: "NSA shop" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(uspsUpdateAccount).toHaveBeenCalledTimes(1));
    expect(uspsUpdateAccount.mock.calls[0][1]).not.toHaveProperty("has_contract");

    fireEvent.click(box);
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(uspsUpdateAccount).toHaveBeenCalledTimes(2));
    expect(uspsUpdateAccount.mock.calls[1][1]).toMatchObject({ has_contract: false });
    edit = screen.getByTestId("edit-account");
    expect(edit).toBeTruthy();
  });

  it("sets the calls an hour USPS allows the account's app, and shows core's message when it is out of range", async () => {
    uspsAccounts.mockResolvedValue([account(1), account(2)]);
    uspsUpdateAccount.mockImplementation(async (id: number) => account(id, { state: "connected" }, { calls_per_hour: 5000 }));
    renderSettings();
    await screen.findByTestId("usps-accounts");
    const edit = await openEdit("Account 2");
    const calls = within(edit).getByLabelText("Calls per hour") as HTMLInputElement;
    expect(calls.value).toBe("");
    expect(calls.placeholder).toContain("60");
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(uspsUpdateAccount).toHaveBeenCalledTimes(1));
    expect(uspsUpdateAccount.mock.calls[0][1]).not.toHaveProperty("calls_per_hour");

    fireEvent.change(calls, { target: { value: "5000" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(uspsUpdateAccount).toHaveBeenCalledTimes(2));
    expect(uspsUpdateAccount.mock.calls[1][1]).toMatchObject({ calls_per_hour: 5000 });

    uspsUpdateAccount.mockRejectedValueOnce({
      code: "VALIDATION",
      message: "Calls per hour must be a whole number from 1 to 1000000",
      details: { kind: "fields", fields: { calls_per_hour: "Calls per hour must be a whole number from 1 to 1000000" } },
    });
    fireEvent.change(calls, { target: { value: "0" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    expect((await within(edit).findByText("Calls per hour must be a whole number from 1 to 1000000", { selector: "[data-error-for]" })).textContent).toBeTruthy();
  });

  it("shows core's message next to each invalid field", async () => {
    uspsUpdateAccount.mockRejectedValue({
      code: "VALIDATION",
      message: "CRID must contain digits only (usually 8); MID must be 6 or 9 digits",
      details: { kind: "fields", fields: { crid: "CRID must contain digits only (usually 8)", mid: "MID must be 6 or 9 digits" } },
    });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.change(within(edit).getByLabelText("CRID"), { target: { value: "12ab" } });
    fireEvent.change(within(edit).getByLabelText("MID"), { target: { value: "12345" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save" }));
    await screen.findByText("CRID must contain digits only (usually 8)");
    expect(uspsUpdateAccount).toHaveBeenCalledWith(1, expect.objectContaining({ crid: "12ab", mid: "12345" }));
    const crid = within(edit).getByLabelText("CRID");
    expect(crid.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(crid.getAttribute("aria-describedby")!)!.textContent).toBe("CRID must contain digits only (usually 8)");
    expect(within(edit).getByLabelText("MID").getAttribute("aria-invalid")).toBe("true");
    expect(within(edit).getByLabelText("EPS account").getAttribute("aria-invalid")).toBeNull();
  });

  it("shows the own-app form's client id and secret problems per field", async () => {
    uspsConnectOwnApp.mockRejectedValue({
      code: "VALIDATION",
      message: "The USPS app's client id and secret are both needed",
      details: { kind: "fields", fields: { client_secret: "Enter the app's client secret (Consumer Secret)" } },
    });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    fireEvent.click(screen.getByRole("button", { name: "Use my own USPS API app" }));
    fireEvent.change(screen.getByLabelText("Client id"), { target: { value: "biz-app" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect" }));
    const secretError = await screen.findByText("Enter the app's client secret (Consumer Secret)");
    expect(secretError.getAttribute("data-error-for")).toBe("client_secret");
    expect(screen.getByLabelText("Client secret").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Client id").getAttribute("aria-invalid")).toBeNull();
  });

  it("renders the doctor checklist with passed, failed and not reached steps and the fix", async () => {
    const check: ConnectionCheck = {
      account_id: 2,
      account: account(2),
      steps: [
        { name: "Credentials accepted", status: "passed", detail: "USPS issued an access token for app biz-app", fix: null },
        { name: "Token includes Labels and Payments", status: "failed", detail: "The token has only Public Access", fix: "Submit a service request for Labels and Payments, then refresh claims in the Customer Onboarding Portal." },
        { name: "CRID, MIDs and EPS account match the token", status: "not_reached", detail: "Not checked: the token lacks the Labels and Payments product", fix: null },
      ],
    };
    uspsCheck.mockResolvedValue(check);
    renderSettings();
    const edit = await openEdit("Warehouse");
    fireEvent.click(within(edit).getByRole("button", { name: "Check connection" }));
    const list = await screen.findByTestId("doctor-checklist");
    const step = (name: string) => list.querySelector(`[data-step="${name}"]`)!;
    expect(step("Credentials accepted").getAttribute("data-status")).toBe("passed");
    expect(step("Credentials accepted").textContent).toContain("Passed");
    expect(step("Token includes Labels and Payments").textContent).toContain("Failed");
    expect(step("Token includes Labels and Payments").textContent).toContain("refresh claims in the Customer Onboarding Portal");
    expect(step("CRID, MIDs and EPS account match the token").textContent).toContain("Not reached");
    expect(step("CRID, MIDs and EPS account match the token").querySelector("[data-field=fix]")).toBeNull();
    expect(list.textContent).toContain("1 step failed");
  });

  it("shows what a not-entitled account is missing and what to do, with no reconnect prompt", async () => {
    renderSettings();
    const edit = await openEdit("Warehouse");
    const diagnosis = within(edit).getByTestId("account-diagnosis");
    expect(diagnosis.textContent).toContain("Labels and Payments");
    expect(diagnosis.textContent).toContain("Submit a service request");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(within(edit).getByTestId("own-app-credentials").textContent).toContain("must be updated");
  });

  it("Login waits for the browser with the address, Copy and Cancel, then shows the account connected", async () => {
    let finish!: (v: unknown) => void;
    uspsSignInStart.mockResolvedValue({ id: 3, url: "http://127.0.0.1:4000/cop-navigator?state=s", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: false });
    uspsSignInFinish.mockReturnValue(new Promise((r) => (finish = r)));
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.click(within(edit).getByRole("button", { name: "Login" }));
    const waiting = await screen.findByTestId("sign-in-waiting");
    expect(waiting.textContent).toContain("Waiting for USPS sign-in…");
    expect(waiting.textContent).toContain("The browser did not open");
    expect((within(waiting).getByLabelText("USPS sign-in address") as HTMLInputElement).value).toBe("http://127.0.0.1:4000/cop-navigator?state=s");
    expect(within(waiting).getByRole("button", { name: "Copy" })).toBeTruthy();
    expect(within(waiting).getByRole("button", { name: "Cancel" })).toBeTruthy();
    expect(uspsSignInStart).toHaveBeenCalledWith(expect.objectContaining({ account: 1, port: 8765 }));
    finish({ account: account(1), warnings: ["Other systems that use the same USPS login must sign in again."] });
    expect((await screen.findByTestId("login-connected")).textContent).toContain("Sandbox demo is connected");
    expect(screen.getByText("Other systems that use the same USPS login must sign in again.")).toBeTruthy();
  });

  it("a check that finds the login invalid opens the prompt, and Retry after reconnecting checks again", async () => {
    const needs = { state: "needs_reconnect" as const, reason: "USPS no longer accepts the saved authorization." };
    const passed: ConnectionCheck = {
      account_id: 1,
      account: account(1),
      steps: [{ name: "Credentials accepted", status: "passed", detail: "USPS issued an access token", fix: null }],
    };
    uspsCheck
      .mockResolvedValueOnce({
        account_id: 1,
        account: account(1, needs),
        steps: [{ name: "Credentials accepted", status: "failed", detail: "USPS refused the saved authorization", fix: "Use Login to sign in with USPS again." }],
      })
      .mockResolvedValueOnce(passed);
    // What core's snapshot says after the failed check: account 1 needs reconnecting, prompt now.
    uspsConnection.mockResolvedValue({
      revision: 2,
      accounts: [{ account_id: 1, nickname: "Sandbox demo", state: needs, prompt: true }],
    });
    uspsSignInStart.mockResolvedValue({ id: 9, url: "http://127.0.0.1:4000/cop-navigator", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockResolvedValue({ account: account(1), warnings: [] });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.click(within(edit).getByRole("button", { name: "Check connection" }));
    const prompt = await screen.findByRole("dialog", { name: "Your USPS connection needs to be renewed" });
    expect((await screen.findByTestId("doctor-checklist")).textContent).toContain("Use Login to sign in with USPS again.");
    fireEvent.click(within(prompt).getByRole("button", { name: "Reconnect" }));
    const done = await screen.findByRole("dialog", { name: "USPS is connected again" });
    fireEvent.click(within(done).getByRole("button", { name: "Retry" }));
    await screen.findByText("Everything USPS needs is in place.");
    expect(uspsCheck).toHaveBeenCalledTimes(2);
  });

  it("offers to keep the session in memory when the keyring is unavailable", async () => {
    uspsSignInStart
      .mockRejectedValueOnce({ code: "SECRET_STORE_UNAVAILABLE", message: "No Secret Service is running." })
      .mockResolvedValueOnce({ id: 4, url: "http://127.0.0.1:4000/cop-navigator", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockReturnValue(new Promise(() => undefined));
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    // The choice ("Sign in with USPS" is preselected), then the action button of the same name.
    const buttons = screen.getAllByRole("button", { name: "Sign in with USPS" });
    expect(buttons[0].getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(buttons[1]);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("cannot reach your system keyring");
    fireEvent.click(within(alert).getByRole("button", { name: "Keep this session in memory only" }));
    await screen.findByTestId("sign-in-waiting");
    expect(uspsKeepSecretsInMemory).toHaveBeenCalledTimes(1);
    expect(uspsSignInStart).toHaveBeenCalledTimes(2);
  });

  it("Disconnect asks first, then says what happened", async () => {
    uspsDisconnect.mockResolvedValue({ account: account(1, { state: "disconnected" }), revoked_at_usps: true, warnings: [] });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.click(within(edit).getByRole("button", { name: "Disconnect" }));
    expect(uspsDisconnect).not.toHaveBeenCalled();
    const confirm = within(edit).getByRole("group", { name: "Confirm disconnect" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByText("USPS revoked Shipdesk's authorization and the saved secrets were deleted.")).toBeTruthy();
    expect(uspsDisconnect).toHaveBeenCalledWith(1);
  });

  it("Remove refused while purchases are unfinished names their orders and keeps the account", async () => {
    uspsRemove.mockRejectedValue({
      code: "CONFLICT",
      message:
        "'Sandbox demo' cannot be removed yet: label purchases for orders #1001, #1002 are not finished. Finish or discard them first (Shipments › Purchases to check), then remove the account.",
      details: { kind: "account_has_open_purchases", account_id: 1, order_numbers: ["#1001", "#1002"] },
    });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.click(within(edit).getByRole("button", { name: "Remove account…" }));
    const confirm = within(edit).getByRole("group", { name: "Confirm removal" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Remove account" }));
    const refused = await screen.findByTestId("remove-refused");
    expect(uspsRemove).toHaveBeenCalledWith(1);
    expect(refused.getAttribute("role")).toBe("alert");
    expect(refused.textContent).toContain("Shipments › Purchases to check");
    const orders = within(refused).getByRole("list", { name: "Orders with unfinished purchases" });
    expect(within(orders).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Order #1001", "Order #1002"]);
    // Still on the account, which stays; the account details show no error of their own.
    expect(screen.getByTestId("edit-account").getAttribute("data-account")).toBe("Sandbox demo");
    expect(within(edit).getByRole("button", { name: "Remove account…" })).toBeTruthy();
    expect(within(within(edit).getByRole("region", { name: "Account details" })).queryByRole("alert")).toBeNull();
  });

  it("Sign in with USPS adds an account prefilled from the token; Done returns to the list", async () => {
    uspsSignInStart.mockResolvedValue({ id: 5, url: "http://127.0.0.1:4000/cop-navigator", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockResolvedValue({ account: account(3, { state: "connected" }, { nickname: "Back office" }), warnings: [] });
    uspsUpdateAccount.mockResolvedValue(account(3));
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    fireEvent.change(screen.getByLabelText("Nickname"), { target: { value: "Back office" } });
    await waitFor(() => expect((screen.getByLabelText("Redirect port") as HTMLInputElement).value).toBe("8765"));
    fireEvent.click(screen.getAllByRole("button", { name: "Sign in with USPS" })[1]);
    const connected = await screen.findByTestId("account-connected");
    expect(connected.textContent).toContain("Back office is connected");
    expect(uspsSignInStart).toHaveBeenCalledWith(expect.objectContaining({ account: null, environment: "sandbox", port: 8765, fields: expect.objectContaining({ nickname: "Back office" }) }));
    expect((within(connected).getByLabelText("CRID") as HTMLInputElement).value).toBe("56982563");
    fireEvent.click(within(connected).getByRole("button", { name: "Done" }));
    await screen.findByTestId("usps-accounts");
    expect(uspsUpdateAccount).toHaveBeenCalledWith(3, expect.objectContaining({ crid: "56982563" }));
  });

  it("a denied or timed-out sign-in says so and offers to try again", async () => {
    uspsSignInStart.mockResolvedValue({ id: 6, url: "http://127.0.0.1:4000/cop-navigator", redirect_uri: "http://127.0.0.1:8765/usps/callback", browser_opened: true });
    uspsSignInFinish.mockRejectedValue({ code: "CANCELLED", message: "No answer came back from the USPS sign-in within 5 minutes." });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    fireEvent.click(screen.getAllByRole("button", { name: "Sign in with USPS" })[1]);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("USPS sign-in did not finish");
    expect(alert.textContent).toContain("within 5 minutes");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("keeps developer options (custom USPS host, redirect port) folded under Advanced", async () => {
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    const advanced = screen.getByTestId("advanced-options") as HTMLDetailsElement;
    expect(advanced.open).toBe(false);
    expect(advanced.querySelector("summary")!.textContent).toBe("Advanced");
    expect(advanced.contains(screen.getByLabelText("Custom USPS host"))).toBe(true);
    expect(advanced.contains(screen.getByLabelText("Redirect port"))).toBe(true);
    expect(screen.getByTestId("add-account").textContent).not.toMatch(/PAYER|LABEL_OWNER|scope/);
    fireEvent.click(screen.getByRole("button", { name: "Use my own USPS API app" }));
    const own = screen.getByTestId("advanced-options") as HTMLDetailsElement;
    expect(own.open).toBe(false);
    expect(own.contains(screen.getByLabelText("Custom USPS host"))).toBe(true);
  });

  it("opens Advanced by itself when the redirect port is the problem", async () => {
    uspsSignInStart.mockRejectedValue({
      code: "VALIDATION",
      message: "Port 8765 is in use",
      details: { kind: "fields", fields: { port: "Another program uses port 8765; pick another registered port" } },
    });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Add account" }));
    fireEvent.click(screen.getAllByRole("button", { name: "Sign in with USPS" })[1]);
    await screen.findByText("Another program uses port 8765; pick another registered port");
    expect((screen.getByTestId("advanced-options") as HTMLDetailsElement).open).toBe(true);
  });

  it("never shows Connected with 'Last verified: Never'", async () => {
    uspsAccounts.mockResolvedValue([
      account(1, { state: "connected" }, { last_verified_at: null }),
      account(2, { state: "disconnected" }, { nickname: "Old", last_verified_at: null }),
    ]);
    renderSettings();
    const table = await screen.findByTestId("usps-accounts");
    const demo = within(table).getByText("Sandbox demo").closest("tr")!;
    expect(demo.querySelector("[data-field=last-verified]")!.textContent).toBe("Last verified: Not checked yet");
    const old = within(table).getByText("Old").closest("tr")!;
    expect(old.querySelector("[data-field=last-verified]")!.textContent).toBe("Last verified: Never");
    const edit = await openEdit("Sandbox demo");
    expect(within(edit).getByTestId("connection-section").querySelector("[data-field=last-verified]")!.textContent).toContain("Not checked with USPS yet");
  });

  it("a passing checklist goes away when the account is disconnected", async () => {
    uspsCheck.mockResolvedValue({
      account_id: 1,
      account: account(1),
      steps: [{ name: "Credentials accepted", status: "passed", detail: "USPS issued an access token", fix: null }],
    });
    uspsDisconnect.mockResolvedValue({ account: account(1, { state: "disconnected" }), revoked_at_usps: false, warnings: [] });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    fireEvent.click(within(edit).getByRole("button", { name: "Check connection" }));
    await screen.findByText("Everything USPS needs is in place.");
    uspsAccounts.mockResolvedValue([account(1, { state: "disconnected" }, { updated_at: "2026-11-22T10:00:00Z" })]);
    fireEvent.click(within(edit).getByRole("button", { name: "Disconnect" }));
    fireEvent.click(within(within(edit).getByRole("group", { name: "Confirm disconnect" })).getByRole("button", { name: "Disconnect" }));
    await screen.findByText("The saved secrets were deleted from this computer.");
    await waitFor(() => expect(within(edit).getByTestId("connection-section").querySelector("[data-state]")!.textContent).toBe("Disconnected"));
    expect(screen.queryByTestId("doctor-checklist")).toBeNull();
    expect(screen.queryByText("Everything USPS needs is in place.")).toBeNull();
  });

  it("a checklist the account has moved on from is not shown under the new status", async () => {
    uspsCheck.mockResolvedValue({
      account_id: 1,
      account: account(1),
      steps: [{ name: "Credentials accepted", status: "passed", detail: "USPS issued an access token", fix: null }],
    });
    renderSettings();
    const edit = await openEdit("Sandbox demo");
    // A later call (elsewhere in the app) found the login refused: the list is newer than the check.
    uspsAccounts.mockResolvedValue([account(1, { state: "needs_reconnect", reason: "USPS no longer accepts the saved authorization." }, { updated_at: "2026-11-22T10:00:00Z" })]);
    fireEvent.click(within(edit).getByRole("button", { name: "Check connection" }));
    await waitFor(() => expect(within(edit).getByTestId("connection-section").querySelector("[data-state]")!.textContent).toBe("Needs reconnect"));
    expect(screen.queryByTestId("doctor-checklist")).toBeNull();
    expect(screen.getByTestId("check-outdated").textContent).toContain("changed since the last check");
    // Signing in again is the fix; resetting the USPS.com password would break every connection.
    expect(within(edit).getByTestId("password-reset-warning").textContent).toContain("Do not reset it");
  });
});
