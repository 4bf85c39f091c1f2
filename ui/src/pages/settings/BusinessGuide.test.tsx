import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, within } from "@testing-library/react";
import type { OnboardingGuide } from "../../ipc";

const uspsOnboarding = vi.fn();
const uspsOpenBusinessPortal = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      uspsOnboarding: (id: number | null) => uspsOnboarding(id),
      uspsOpenBusinessPortal: () => uspsOpenBusinessPortal(),
    },
  };
});

import { BusinessGuide } from "./BusinessGuide";

/** The props Carrier Settings passes from the connection provider: nothing asked or answered. */
const QUIET = { contractPricesSaid: null, requested: false, onShown: () => undefined, onSayContractPrices: async () => undefined };

const WARNING = "Do not reset your USPS.com password to fix this.";

function pendingGuide(): OnboardingGuide {
  return {
    account_id: 1,
    steps: [
      { key: "business_account", title: "USPS business account", status: "done", detail: "USPS knows the business by CRID 56982563.", action: null },
      {
        key: "payment_account",
        title: "Enterprise Payment Account",
        status: "pending",
        detail: "USPS says payment account 1000012345 is not active yet. A payment account paid by ACH debit shows Pending…",
        action: "open_business_portal",
      },
      { key: "link", title: "Link your business account to Shipdesk", status: "done", detail: "Sandbox demo is linked.", action: null },
    ],
    contract: "Contract prices (NSA): no. Labels are bought at commercial prices.",
    password_warning: WARNING,
    contract_prices_said: null,
  };
}

describe("Connect your USPS business account", () => {
  beforeEach(() => {
    cleanup();
    uspsOnboarding.mockReset();
    uspsOpenBusinessPortal.mockReset().mockResolvedValue(undefined);
  });

  it("checks with USPS when opened and offers the portal for the step that is not done", async () => {
    uspsOnboarding.mockResolvedValue(pendingGuide());
    render(<BusinessGuide openAtStart={false} onSignIn={() => undefined} {...QUIET} />);
    expect(uspsOnboarding).not.toHaveBeenCalled();
    const guide = screen.getByTestId("business-guide");
    fireEvent.click(within(guide).getByText("Connect your USPS business account"));
    (guide as HTMLDetailsElement).open = true;
    fireEvent(guide, new Event("toggle"));
    const payment = await screen.findByText("Enterprise Payment Account");
    const step = payment.closest("li")!;
    expect(step.getAttribute("data-status")).toBe("pending");
    expect(step.textContent).toContain("Pending at USPS");
    expect(uspsOnboarding).toHaveBeenCalledWith(null);
    // Done steps have no button; the pending one opens the portal.
    expect(screen.getAllByRole("button", { name: "Open the USPS business portal" })).toHaveLength(1);
    fireEvent.click(within(step).getByRole("button", { name: "Open the USPS business portal" }));
    expect(uspsOpenBusinessPortal).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("guide-contract").textContent).toContain("Contract prices (NSA): no");
    expect(screen.getByTestId("guide-password-warning").textContent).toBe(WARNING);
  });

  it("without an account it starts open, and its sign-in step starts Add account", async () => {
    uspsOnboarding.mockResolvedValue({
      account_id: null,
      steps: [
        { key: "business_account", title: "USPS business account", status: "to_do", detail: "New to USPS?", action: "open_business_portal" },
        { key: "payment_account", title: "Enterprise Payment Account", status: "not_checked", detail: "Add your payment account.", action: "open_business_portal" },
        { key: "link", title: "Link your business account to Shipdesk", status: "to_do", detail: "Sign in with USPS.", action: "sign_in" },
      ],
      contract: null,
      password_warning: WARNING,
      contract_prices_said: null,
    } satisfies OnboardingGuide);
    const onSignIn = vi.fn();
    render(<BusinessGuide openAtStart={true} onSignIn={onSignIn} {...QUIET} />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign in with USPS" }));
    expect(uspsOnboarding).toHaveBeenCalledTimes(1);
    expect(onSignIn).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("guide-contract")).toBeNull();
  });

  it("opens when asked for, and keeps the answer about contract prices", async () => {
    uspsOnboarding.mockResolvedValue(pendingGuide());
    const onShown = vi.fn();
    const onSayContractPrices = vi.fn().mockResolvedValue(undefined);
    render(
      <BusinessGuide
        openAtStart={false}
        onSignIn={() => undefined}
        contractPricesSaid={null}
        requested={true}
        onShown={onShown}
        onSayContractPrices={onSayContractPrices}
      />,
    );
    expect((screen.getByTestId("business-guide") as HTMLDetailsElement).open).toBe(true);
    expect(onShown).toHaveBeenCalledTimes(1);
    await screen.findByText("Enterprise Payment Account");
    const box = screen.getByRole("checkbox", { name: /I have USPS contract prices/ });
    expect((box as HTMLInputElement).checked).toBe(false);
    fireEvent.click(box);
    expect(onSayContractPrices).toHaveBeenCalledWith(true);
  });
});
