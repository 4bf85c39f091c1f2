import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor } from "@testing-library/react";

const appReady = vi.fn();
const doctor = vi.fn();
const purchasesToCheck = vi.fn();
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
    },
  };
});

import { App } from "./App";

describe("App shell", () => {
  beforeEach(() => {
    cleanup();
    window.location.hash = "";
    appReady.mockReset().mockResolvedValue(120);
    purchasesToCheck.mockReset().mockResolvedValue([]);
    doctor.mockReset().mockResolvedValue({
      version: "0.1.0",
      data_dir: "/tmp/shipdesk",
      data_dir_source: "SHIPDESK_DATA_DIR",
      database_path: "/tmp/shipdesk/shipdesk.sqlite3",
      schema_version: 1,
      latest_schema_version: 1,
      environment: "sandbox",
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

  it("shows Carrier Settings inside Settings and the doctor report under About", async () => {
    render(<App />);
    fireEvent.click(screen.getByRole("link", { name: "Settings" }));
    expect(screen.getByRole("tab", { name: "Carrier Settings" }).getAttribute("aria-selected")).toBe("true");
    fireEvent.click(screen.getByRole("tab", { name: "About" }));
    expect(await screen.findByText("/tmp/shipdesk")).toBeTruthy();
    expect(doctor).toHaveBeenCalled();
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
});
