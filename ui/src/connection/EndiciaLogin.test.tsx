import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, act, within } from "@testing-library/react";
import type { ConnectionSnapshot, EndiciaAttention } from "../ipc";
import { connectionSnapshot } from "./testAccounts";

const uspsConnection = vi.fn();
const endiciaRemindLater = vi.fn();
let emit: ((snapshot: ConnectionSnapshot) => void) | null = null;

vi.mock("../ipc", async (orig) => {
  const real = await orig<typeof import("../ipc")>();
  return {
    ...real,
    ipc: {
      appReady: async () => 1,
      ordersList: async () => ({ orders: [], total: 0 }),
      ordersTags: async () => [],
      shipments: async () => [],
      purchasesToCheck: async () => [],
      uspsAccounts: async () => [],
      uspsConnection: () => uspsConnection(),
      uspsSecretsInMemory: async () => false,
      endiciaRemindLater: () => endiciaRemindLater(),
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

import { App } from "../App";

const LOST: EndiciaAttention = {
  account_id: 9,
  account_number: "2500123",
  reason: "Endicia does not accept this pass phrase. Check it and log in again.",
  prompt: true,
};

async function core(snapshot: ConnectionSnapshot) {
  await waitFor(() => expect(emit).not.toBeNull());
  await act(async () => emit?.(snapshot));
}

describe("Endicia: log in again, or remind me later", () => {
  beforeEach(() => {
    cleanup();
    emit = null;
    window.location.hash = "";
    endiciaRemindLater.mockReset().mockResolvedValue("2026-12-03T00:00:00Z");
  });

  it("prompts, and Remind Me Later leaves the banner until core says the login is back", async () => {
    uspsConnection.mockResolvedValue(connectionSnapshot(1, [], { endicia: LOST }));
    render(<App />);
    const dialog = await screen.findByRole("dialog", { name: "Log in to Endicia again" });
    expect(dialog.textContent).toContain("2500123");
    expect(dialog.textContent).toContain("does not accept this pass phrase");
    expect(screen.getByTestId("endicia-banner").textContent).toContain("needs you to log in again");
    fireEvent.click(within(dialog).getByRole("button", { name: "Remind Me Later" }));
    expect(endiciaRemindLater).toHaveBeenCalled();
    await core(connectionSnapshot(2, [], { endicia: { ...LOST, prompt: false } }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByTestId("endicia-banner")).toBeTruthy();
    await core(connectionSnapshot(3, [], { endicia: null }));
    await waitFor(() => expect(screen.queryByTestId("endicia-banner")).toBeNull());
  });

  it("Log in again opens Settings › Postage accounts", async () => {
    uspsConnection.mockResolvedValue(connectionSnapshot(1, [], { endicia: LOST }));
    render(<App />);
    const dialog = await screen.findByRole("dialog", { name: "Log in to Endicia again" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Log in again" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(window.location.hash).toBe("#/settings/postage");
    expect(endiciaRemindLater).not.toHaveBeenCalled();
  });
});
