import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, act, within } from "@testing-library/react";
import type { ConnectionSnapshot, GuideOffer } from "../ipc";
import { account, connectionSnapshot } from "./testAccounts";

const uspsConnection = vi.fn();
const uspsAccounts = vi.fn();
const uspsSayContractPrices = vi.fn();
const uspsOnboarding = vi.fn();
let emit: ((snapshot: ConnectionSnapshot) => void) | null = null;

vi.mock("../ipc", async (orig) => {
  const real = await orig<typeof import("../ipc")>();
  return {
    ...real,
    ipc: {
      appReady: async () => 1,
      ordersList: async () => ({ orders: [], total: 0 }),
      ordersTags: async () => [],
      shipments: async () => [], purchasesToCheck: async () => [],
      uspsAccounts: () => uspsAccounts(),
      uspsConnection: () => uspsConnection(),
      uspsSayContractPrices: (have: boolean) => uspsSayContractPrices(have),
      uspsOnboarding: (id: number | null) => uspsOnboarding(id),
      uspsSecretsInMemory: async () => false,
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

import { App } from "../App";

function offering(revision: number, guide_offer: GuideOffer, said: boolean | null = null) {
  return connectionSnapshot(revision, [], { guide_offer, contract_prices_said: said });
}

/** Core broadcasts a snapshot (after keeping an answer, connecting an account, ...). */
async function core(snapshot: ConnectionSnapshot) {
  await waitFor(() => expect(emit).not.toBeNull());
  await act(async () => emit?.(snapshot));
}

const NO_ACCOUNT_GUIDE = {
  account_id: null,
  steps: [{ key: "link", title: "Link your business account to Shipdesk", status: "to_do", detail: "Sign in with USPS.", action: "sign_in" }],
  contract: null,
  password_warning: "Do not reset your USPS.com password.",
  contract_prices_said: null,
};

describe("contract prices: the first-use question and the guide's banner", () => {
  beforeEach(() => {
    cleanup();
    emit = null;
    window.location.hash = "";
    uspsAccounts.mockReset().mockResolvedValue([]);
    uspsOnboarding.mockReset().mockResolvedValue(NO_ACCOUNT_GUIDE);
    uspsSayContractPrices.mockReset().mockResolvedValue(undefined);
  });

  it("asks a desk without accounts, and Yes opens the guide and keeps a banner until connected", async () => {
    uspsConnection.mockResolvedValue(offering(1, "ask_about_contract"));
    render(<App />);
    const dialog = await screen.findByRole("dialog", { name: "Welcome to Shipdesk" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes, guide me" }));
    expect(uspsSayContractPrices).toHaveBeenCalledWith(true);
    await core(offering(2, "connect_for_contract", true));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(window.location.hash).toBe("#/settings/carriers");
    const guide = await screen.findByTestId("business-guide");
    expect((guide as HTMLDetailsElement).open).toBe(true);
    expect(await screen.findByTestId("guide-offer-banner")).toBeTruthy();

    // An account is connected: core's next snapshot ends the offer.
    await core(connectionSnapshot(3, [{ account_id: 1, nickname: "Shop", state: { state: "connected" }, prompt: false }], { contract_prices_said: true }));
    await waitFor(() => expect(screen.queryByTestId("guide-offer-banner")).toBeNull());
  });

  it("No and Ask me later close the question; No is kept, later is not", async () => {
    uspsConnection.mockResolvedValue(offering(1, "ask_about_contract"));
    render(<App />);
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Ask me later" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(uspsSayContractPrices).not.toHaveBeenCalled();
    cleanup();

    render(<App />);
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "No" }));
    expect(uspsSayContractPrices).toHaveBeenCalledWith(false);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.queryByTestId("guide-offer-banner")).toBeNull();
  });

  it("does not ask when the last account is removed later, only when a window opens", async () => {
    uspsAccounts.mockResolvedValue([account(1)]);
    uspsConnection.mockResolvedValue(connectionSnapshot(1, [{ account_id: 1, nickname: "Sandbox demo", state: { state: "connected" }, prompt: false }]));
    render(<App />);
    await waitFor(() => expect(emit).not.toBeNull());
    await waitFor(() => expect(uspsConnection).toHaveBeenCalled());
    await core(offering(5, "ask_about_contract"));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("the banner's Show me how opens the guide in Carrier Settings", async () => {
    uspsConnection.mockResolvedValue(offering(1, "connect_for_contract", true));
    render(<App />);
    const banner = await screen.findByTestId("guide-offer-banner");
    expect(banner.textContent).toContain("contract prices");
    fireEvent.click(within(banner).getByRole("button", { name: "Show me how" }));
    expect(window.location.hash).toBe("#/settings/carriers");
    const guide = await screen.findByTestId("business-guide");
    expect((guide as HTMLDetailsElement).open).toBe(true);
    expect((screen.getByRole("checkbox", { name: /I have USPS contract prices/ }) as HTMLInputElement).checked).toBe(true);
  });
});
