import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor } from "@testing-library/react";
import type { Pickup } from "../../ipc";
import { SHIP_FROM } from "./testData";

const m = { pickups: vi.fn(), schedulePickup: vi.fn() };

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      pickups: () => m.pickups(),
      pickupPrefill: async () => ({ pickup_date: "2026-12-02", packages: [{ package_type: "USPS_GROUND_ADVANTAGE", count: 3 }], estimated_weight_lb: "4" }),
      schedulePickup: (i: unknown) => m.schedulePickup(i),
      pickupEligibility: async () => ({ eligible: true, address: null, message: null }),
      cancelPickup: async () => undefined,
    },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => () => false }));

import { PickupPanel } from "./PickupPanel";

const booked: Pickup = {
  id: 1,
  account_id: 1,
  ship_from_id: SHIP_FROM.id,
  confirmation_number: "WTC123",
  pickup_date: "2026-12-02",
  package_count: 3,
  estimated_weight_lb: "4",
  package_location: "FRONT_DOOR",
  status: "scheduled",
  created_at: "2026-12-01T10:00:00Z",
};

describe("Carrier pickup", () => {
  beforeEach(() => {
    cleanup();
    m.pickups.mockReset();
    m.schedulePickup.mockReset();
  });

  it("names package types as USPS products and stops offering Schedule once the day is booked", async () => {
    m.pickups.mockResolvedValueOnce([]).mockResolvedValue([booked]);
    m.schedulePickup.mockResolvedValue(booked);
    render(<PickupPanel addresses={[SHIP_FROM]} />);
    expect(await screen.findByLabelText("USPS Ground Advantage packages")).toBeTruthy();
    const schedule = screen.getByRole("button", { name: /Schedule pickup \(3 packages\)/ }) as HTMLButtonElement;
    await waitFor(() => expect(schedule.disabled).toBe(false));
    fireEvent.click(schedule);
    await waitFor(() => expect(m.schedulePickup).toHaveBeenCalledTimes(1));
    expect((await screen.findByTestId("pickup-booked")).textContent).toContain("WTC123");
    expect(schedule.disabled).toBe(true);
    // Another day is free again.
    fireEvent.change(screen.getByLabelText("Pickup date"), { target: { value: "2026-12-03" } });
    expect(screen.queryByTestId("pickup-booked")).toBeNull();
    expect(schedule.disabled).toBe(false);
  });
});
