import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor } from "@testing-library/react";

const appReady = vi.fn();
const doctor = vi.fn();
const purchasesToCheck = vi.fn();
const uspsAccounts = vi.fn();
const uspsSetDefault = vi.fn();
vi.mock("./ipc", async (orig) => {
  const real = await orig<typeof import("./ipc")>();
  return {
    ...real,
    ipc: {
      appReady: () => appReady(),
      doctor: () => doctor(),
      ordersList: async () => ({ orders: [], total: 0 }),
      ordersTags: async () => [],
      shipments: async () => [], scanForms: async () => [], shipFromList: async () => [], pickups: async () => [],
      purchasesToCheck: () => purchasesToCheck(),
      uspsAccounts: () => uspsAccounts(),
      uspsSetDefault: (id: number) => uspsSetDefault(id),
      uspsConnection: async () => ({ revision: 1, accounts: [] }),
      uspsSecretsInMemory: async () => false,
      uspsSandboxInfo: async () => ({ base_url: "http://127.0.0.1:4000/", demo_username: "demo", demo_password: "pw", contract_username: "nsa" }),
      packagePresets: async () => [],
      report: async () => null,
    },
    events: { onUspsConnection: async () => () => undefined },
  };
});

import { App } from "./App";
import { account } from "./connection/testAccounts";

describe("App shell", () => {
  beforeEach(() => {
    cleanup();
    window.location.hash = "";
    appReady.mockReset().mockResolvedValue(120);
    purchasesToCheck.mockReset().mockResolvedValue([]);
    uspsAccounts.mockReset().mockResolvedValue([]);
    uspsSetDefault.mockReset().mockResolvedValue(undefined);
    doctor.mockReset().mockResolvedValue({
      version: "0.1.0",
      data_dir: "/tmp/shipdesk",
      data_dir_source: "SHIPDESK_DATA_DIR",
      database_path: "/tmp/shipdesk/shipdesk.sqlite3",
      schema_version: 1,
      latest_schema_version: 1,
      environment: "sandbox",
      platform_apps: [
        {
          environment: "tem",
          app: null,
          problem: "no USPS platform app is configured for USPS Test (TEM) (add a [tem] table …).",
        },
        {
          environment: "production",
          app: {
            client_id: "shipdesk-prod-app",
            redirect_uri: "http://127.0.0.1:8765/usps/callback",
            source: "/etc/shipdesk/usps-platform-apps.toml",
            secret_source: "keyring",
          },
          problem: null,
        },
      ],
    });
  });

  it("tells the core it is ready and starts on Orders", async () => {
    render(<App />);
    expect(appReady).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole("heading", { name: "Orders", level: 1 })).toBeTruthy();
    expect(await screen.findByText(/No orders yet/)).toBeTruthy();
  });

  it("shows every page from the navigation", async () => {
    render(<App />);
    for (const [label, heading] of [
      ["Shipments", "Shipments"],
      ["End of Day", "End of Day"],
      ["Settings", "Settings"],
      ["Orders", "Orders"],
    ]) {
      fireEvent.click(screen.getByRole("link", { name: label }));
      expect(await screen.findByRole("heading", { name: heading, level: 1 })).toBeTruthy();
      expect(screen.getByRole("link", { name: label }).getAttribute("aria-current")).toBe("page");
    }
  });

  it("shows Carrier Settings, Ship-from addresses and Packages inside Settings and the doctor report under About", async () => {
    render(<App />);
    fireEvent.click(screen.getByRole("link", { name: "Settings" }));
    expect(screen.getByRole("tab", { name: "Carrier Settings" }).getAttribute("aria-selected")).toBe("true");
    fireEvent.click(screen.getByRole("tab", { name: "Ship-from addresses" }));
    expect(await screen.findByRole("heading", { name: "Ship-from addresses", level: 2 })).toBeTruthy();
    expect(window.location.hash).toBe("#/settings/ship-from");
    expect(screen.getByRole("link", { name: "Settings" }).getAttribute("aria-current")).toBe("page");
    fireEvent.click(screen.getByRole("tab", { name: "Packages" }));
    expect(await screen.findByText("No packages saved yet")).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Packages" }).getAttribute("aria-selected")).toBe("true");
    fireEvent.click(screen.getByRole("tab", { name: "About" }));
    expect(await screen.findByText("/tmp/shipdesk")).toBeTruthy();
    expect(doctor).toHaveBeenCalled();
    // Which platform app Sign in with USPS uses outside Sandbox, and where it was configured.
    const production = document.querySelector('[data-platform-app="production"]')!;
    expect(production.textContent).toContain("Sign in with USPS (Production)");
    expect(production.textContent).toContain("client id shipdesk-prod-app");
    expect(production.textContent).toContain("from /etc/shipdesk/usps-platform-apps.toml");
    expect(document.querySelector('[data-platform-app="tem"]')!.textContent).toContain("Not set up: no USPS platform app");
  });

  it("counts purchases to check on the Shipments nav item, also those start-up left open", async () => {
    purchasesToCheck.mockResolvedValue([{ attempt_id: 4, in_progress: false }, { attempt_id: 5, in_progress: false }]);
    render(<App />);
    const badge = await screen.findByTestId("nav-purchases-to-check");
    expect(badge.textContent).toBe("2 purchases to check");
    expect(badge.closest("a")!.getAttribute("data-nav")).toBe("shipments");
    // Settled elsewhere (the CLI, another window): the count goes when the window is back.
    purchasesToCheck.mockResolvedValue([]);
    fireEvent.focus(window);
    await waitFor(() => expect(screen.queryByTestId("nav-purchases-to-check")).toBeNull());
  });

  it("shows a startup error in the core's words", async () => {
    appReady.mockRejectedValue({ code: "DATABASE_TOO_NEW", message: "written by a newer Shipdesk" });
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-error-code")).toBe("DATABASE_TOO_NEW");
    expect(alert.textContent).toContain("newer Shipdesk");
  });

  it("says on every page that labels are samples while the default USPS account is a Sandbox one", async () => {
    uspsAccounts.mockResolvedValue([account(1), account(2, { state: "connected" }, { nickname: "Main", environment: "production", is_default: false })]);
    render(<App />);
    const badge = await screen.findByTestId("sandbox-badge");
    expect(badge.textContent).toBe("Sandbox — labels are samples, no postage is charged");
    for (const label of ["Shipments", "End of Day", "Settings", "Orders"]) {
      fireEvent.click(screen.getByRole("link", { name: label }));
      expect(await screen.findByRole("heading", { name: label, level: 1 })).toBeTruthy();
      expect(screen.getByTestId("sandbox-badge")).toBe(badge);
    }
  });

  it("shows no Sandbox badge while the default account is a production one, and shows it once a Sandbox account becomes the default", async () => {
    const sandbox = account(1);
    const production = account(2, { state: "connected" }, { nickname: "Main", environment: "production", is_default: true });
    uspsAccounts.mockResolvedValue([{ ...sandbox, is_default: false }, production]);
    render(<App />);
    fireEvent.click(screen.getByRole("link", { name: "Settings" }));
    await screen.findByTestId("usps-accounts");
    expect(screen.queryByTestId("sandbox-badge")).toBeNull();
    // The Sandbox account is made the default: the shell learns it from the refreshed accounts.
    uspsAccounts.mockResolvedValue([sandbox, { ...production, is_default: false }]);
    fireEvent.click(screen.getByRole("button", { name: "Make Sandbox demo the default" }));
    expect(await screen.findByTestId("sandbox-badge")).toBeTruthy();
    expect(uspsSetDefault).toHaveBeenCalledWith(1);
  });

  it("shows every shortcut on ?, closes on Esc, and goes to a page on Alt+digit", async () => {
    render(<App />);
    await screen.findByRole("navigation", { name: "Main" });
    fireEvent.keyDown(window, { key: "?" });
    const help = await screen.findByTestId("keyboard-help");
    expect(help.textContent).toContain("Search orders");
    expect(help.textContent).toContain("Go to Reports");
    expect(help.textContent).toContain("Ship the selected orders");
    fireEvent.keyDown(help, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("keyboard-help")).toBeNull());

    fireEvent.keyDown(window, { key: "2", code: "Digit2", altKey: true });
    await waitFor(() => expect(window.location.hash).toBe("#/shipments"));
    expect(screen.getByRole("link", { name: "Shipments" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Reports" }).getAttribute("title")).toBe("Reports (Alt+4)");

    // Typing a ? in a field is typing.
    const field = document.createElement("input");
    document.body.appendChild(field);
    fireEvent.keyDown(field, { key: "?" });
    expect(screen.queryByTestId("keyboard-help")).toBeNull();
    field.remove();
  });
});
