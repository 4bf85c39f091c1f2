import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, PurchaseToCheck } from "../../ipc";
import { SHIP_FROM, order, shipment } from "./testData";

const m = {
  shipments: vi.fn(),
  purchasesToCheck: vi.fn(),
  checkPurchaseAgain: vi.fn(),
  discardPurchase: vi.fn(),
  ordersGet: vi.fn(),
};
const uspsErrors = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      shipments: (q: unknown) => m.shipments(q),
      purchasesToCheck: () => m.purchasesToCheck(),
      checkPurchaseAgain: (id: number) => m.checkPurchaseAgain(id),
      discardPurchase: (id: number) => m.discardPurchase(id),
      ordersGet: (id: number) => m.ordersGet(id),
      labelLayout: async () => "4x6",
      labelPreview: async () => ({ kind: "png", base64: "iVBORw0KGgo=" }),
      shipFromList: async () => [SHIP_FROM],
    },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => uspsErrors }));

import { ShipmentsPage } from "../Shipments";

function toCheck(attemptId: number, patch: Partial<PurchaseToCheck> = {}): PurchaseToCheck {
  return {
    attempt_id: attemptId,
    order_id: attemptId,
    order_number: `#${1000 + attemptId}`,
    account_id: 1,
    account_name: "Main USPS",
    mail_class: "USPS_GROUND_ADVANTAGE",
    sends: 2,
    created_at: "2026-11-21T15:00:00Z",
    sent_at: "2026-11-21T15:00:05Z",
    last_error_code: "PURCHASE_OUTCOME_UNKNOWN",
    last_error: "USPS did not answer in time",
    in_progress: false,
    ...patch,
  };
}

const section = () => screen.findByTestId("purchases-to-check");
const row = (s: HTMLElement, orderNumber: string) => within(s).getByText(orderNumber).closest("tr")!;

describe("Shipments › Purchases to check", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
    m.shipments.mockResolvedValue([]);
  });

  it("is not shown when no purchase needs checking", async () => {
    m.purchasesToCheck.mockResolvedValue([]);
    render(<ShipmentsPage go={() => undefined} />);
    expect(await screen.findByText("No labels yet")).toBeTruthy();
    await waitFor(() => expect(m.purchasesToCheck).toHaveBeenCalled());
    expect(screen.queryByTestId("purchases-to-check")).toBeNull();
  });

  it("lists each purchase with its order, account, service, when it was sent, tries and what USPS last said", async () => {
    m.purchasesToCheck.mockResolvedValue([
      toCheck(1),
      toCheck(2, { mail_class: "PRIORITY_MAIL", account_name: "Back office", sends: 0, sent_at: null, last_error: null, last_error_code: null }),
    ]);
    render(<ShipmentsPage go={() => undefined} />);
    const s = await section();
    expect(within(s).getByTestId("purchases-to-check-count").textContent).toBe("2");
    const sent = row(s, "#1001").textContent!;
    expect(sent).toContain("Main USPS");
    expect(sent).toContain("USPS Ground Advantage");
    expect(sent).toContain("2026");
    expect(sent).toContain("USPS did not answer in time");
    expect(within(row(s, "#1001")).getAllByRole("cell")[4].textContent).toBe("2");
    const never = row(s, "#1002").textContent!;
    expect(never).toContain("Back office");
    expect(never).toContain("Priority Mail");
    expect(never).toContain("Never sent");
    expect(screen.queryByTestId("in-progress")).toBeNull();
  });

  it("opens the order from its number", async () => {
    m.purchasesToCheck.mockResolvedValue([toCheck(1)]);
    m.ordersGet.mockResolvedValue(order(1));
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(within(await section()).getByRole("button", { name: "Open order #1001" }));
    expect(await screen.findByTestId("order-drawer")).toBeTruthy();
    expect(m.ordersGet).toHaveBeenCalledWith(1);
  });

  it("says a purchase another window is buying is in progress and offers no action on it", async () => {
    m.purchasesToCheck.mockResolvedValue([toCheck(1, { in_progress: true }), toCheck(2)]);
    render(<ShipmentsPage go={() => undefined} />);
    const s = await section();
    const busy = within(row(s, "#1001"));
    expect(busy.getByTestId("in-progress").textContent).toBe("Being bought in another window");
    expect((busy.getByRole("button", { name: "Check again" }) as HTMLButtonElement).disabled).toBe(true);
    expect((busy.getByRole("button", { name: "Discard" }) as HTMLButtonElement).disabled).toBe(true);
    const free = within(row(s, "#1002"));
    expect((free.getByRole("button", { name: "Check again" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("checks again: shows the label USPS had made and refreshes both lists", async () => {
    m.purchasesToCheck.mockResolvedValueOnce([toCheck(1)]).mockResolvedValue([]);
    m.checkPurchaseAgain.mockResolvedValue(shipment(1));
    render(<ShipmentsPage go={() => undefined} />);
    await waitFor(() => expect(m.shipments).toHaveBeenCalledTimes(1));
    fireEvent.click(within(await section()).getByRole("button", { name: "Check again" }));
    const recovered = await screen.findByTestId("recovered");
    expect(m.checkPurchaseAgain).toHaveBeenCalledWith(1);
    expect(recovered.textContent).toContain("Label recovered for order #1001");
    expect(recovered.textContent).toContain("920559000000000000001");
    expect(await screen.findByAltText(/Label for order #1001/)).toBeTruthy();
    await waitFor(() => expect(m.shipments).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(m.purchasesToCheck).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId("purchases-to-check-table")).toBeNull();
  });

  it("shows why a check failed and keeps the purchase listed", async () => {
    const err: AppError = { code: "PURCHASE_OUTCOME_UNKNOWN", message: "USPS did not answer; the purchase stays open" };
    m.purchasesToCheck.mockResolvedValue([toCheck(1)]);
    m.checkPurchaseAgain.mockRejectedValue(err);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(within(await section()).getByRole("button", { name: "Check again" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-error-code")).toBe("PURCHASE_OUTCOME_UNKNOWN");
    expect(alert.textContent).toContain("Order #1001: USPS did not settle it this time");
    expect(alert.textContent).toContain("USPS did not answer; the purchase stays open");
    expect(uspsErrors).toHaveBeenCalledWith(err, expect.any(Function));
    await waitFor(() => expect(m.purchasesToCheck).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId("purchases-to-check-table")).toBeTruthy();
  });

  it("discards only after the user confirms, saying USPS cancels the label first, and shows the outcome", async () => {
    m.purchasesToCheck.mockResolvedValueOnce([toCheck(1)]).mockResolvedValue([]);
    m.discardPurchase.mockResolvedValue({
      attempt_id: 1,
      order_id: 1,
      canceled_label: "9205590000000000000099",
      message: "USPS had made label 9205590000000000000099; it was canceled",
    });
    render(<ShipmentsPage go={() => undefined} />);
    const s = await section();

    fireEvent.click(within(s).getByRole("button", { name: "Discard" }));
    const dialog = await screen.findByRole("dialog", { name: "Discard the purchase for order #1001?" });
    expect(dialog.textContent).toContain("asks USPS to cancel whatever label this purchase made");
    expect(dialog.textContent).toContain("nothing stays charged");
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(m.discardPurchase).not.toHaveBeenCalled();

    fireEvent.click(within(s).getByRole("button", { name: "Discard" }));
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Yes, discard it" }));
    const result = await screen.findByTestId("discard-result");
    expect(m.discardPurchase).toHaveBeenCalledWith(1);
    expect(result.textContent).toContain("Purchase for order #1001 discarded: USPS had made label 9205590000000000000099; it was canceled");
    await waitFor(() => expect(screen.queryByTestId("purchases-to-check-table")).toBeNull());
  });

  it("tells a never-sent purchase's discard that nothing was charged", async () => {
    m.purchasesToCheck.mockResolvedValue([toCheck(1, { sends: 0, sent_at: null })]);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(within(await section()).getByRole("button", { name: "Discard" }));
    expect((await screen.findByRole("dialog")).textContent).toContain("never reached USPS, so nothing was charged");
  });

  it("says a discard USPS could not be asked about changed nothing", async () => {
    const err: AppError = { code: "USPS_UNAVAILABLE", message: "USPS is not answering right now" };
    m.purchasesToCheck.mockResolvedValue([toCheck(1)]);
    m.discardPurchase.mockRejectedValue(err);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(within(await section()).getByRole("button", { name: "Discard" }));
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Yes, discard it" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("USPS could not be asked to cancel it; nothing was changed");
    expect(alert.textContent).toContain("USPS is not answering right now");
    expect(screen.queryByTestId("discard-result")).toBeNull();
  });
});
