import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { ShipFromAddress } from "../../ipc";

const shipFromList = vi.fn();
const shipFromAdd = vi.fn();
const shipFromUpdate = vi.fn();
const shipFromRemove = vi.fn();
const shipFromSetDefault = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      shipFromList: () => shipFromList(),
      shipFromAdd: (i: unknown) => shipFromAdd(i),
      shipFromUpdate: (id: number, i: unknown) => shipFromUpdate(id, i),
      shipFromRemove: (id: number) => shipFromRemove(id),
      shipFromSetDefault: (id: number) => shipFromSetDefault(id),
    },
  };
});

import { ShipFromSettings } from "./ShipFromSettings";

function address(id: number, nickname: string, is_default: boolean, patch: Partial<ShipFromAddress["address"]> = {}): ShipFromAddress {
  return {
    id,
    nickname,
    is_default,
    address: {
      name: "John Smith",
      company: "Bingham Goods",
      street1: "4120 Bingham Ave",
      street2: null,
      city: "Saint Louis",
      state: "MO",
      zip5: "63116",
      zip4: null,
      country: "US",
      phone: null,
      email: "john@example.com",
      ...patch,
    },
  };
}

const SHOP = address(1, "Shop", true);
const WAREHOUSE = address(2, "Warehouse", false, { street1: "1100 Wyoming St", zip5: "63118", zip4: "2010", company: null });

async function row(nickname: string) {
  const list = await screen.findByTestId("ship-from-list");
  return within(list).getByText(nickname).closest("li")!;
}

describe("Settings › Ship-from addresses", () => {
  beforeEach(() => {
    cleanup();
    shipFromList.mockReset().mockResolvedValue([SHOP, WAREHOUSE]);
    shipFromAdd.mockReset();
    shipFromUpdate.mockReset();
    shipFromRemove.mockReset();
    shipFromSetDefault.mockReset().mockResolvedValue(undefined);
  });

  it("lists the addresses with the default marked and no Make default on it", async () => {
    render(<ShipFromSettings />);
    const shop = await row("Shop");
    expect(within(shop).getByText("Default")).toBeTruthy();
    expect(shop.textContent).toContain("4120 Bingham Ave");
    expect(within(shop).queryByRole("button", { name: "Make Shop the default" })).toBeNull();
    const warehouse = await row("Warehouse");
    expect(warehouse.textContent).toContain("63118-2010");
    expect(within(warehouse).queryByText("Default")).toBeNull();
  });

  it("says when there is no address yet", async () => {
    shipFromList.mockResolvedValue([]);
    render(<ShipFromSettings />);
    expect(await screen.findByText("No ship-from addresses yet")).toBeTruthy();
  });

  it("adds an address, splitting ZIP+4 and sending blanks as null", async () => {
    shipFromAdd.mockResolvedValue(address(3, "Studio", false));
    render(<ShipFromSettings />);
    fireEvent.click(await screen.findByRole("button", { name: "Add address" }));
    const form = screen.getByTestId("ship-from-form");
    expect(document.activeElement).toBe(within(form).getByLabelText("Nickname"));
    const type = (label: RegExp, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    type(/^Nickname/, "Studio");
    type(/^Name/, "Ana Lee");
    type(/^Street address/, "500 Congress Ave");
    type(/^City/, "Austin");
    type(/^State/, "tx");
    type(/^ZIP Code/, "78701-1234");
    shipFromList.mockResolvedValue([SHOP, WAREHOUSE, address(3, "Studio", false)]);
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("ship-from-status")).textContent).toBe("Studio was added.");
    expect(shipFromAdd).toHaveBeenCalledWith({
      nickname: "Studio",
      address: {
        name: "Ana Lee",
        company: null,
        street1: "500 Congress Ave",
        street2: null,
        city: "Austin",
        state: "TX",
        zip5: "78701",
        zip4: "1234",
        country: "US",
        phone: null,
        email: null,
      },
      is_default: false,
    });
    expect(await row("Studio")).toBeTruthy();
  });

  it("shows core's problems next to each field and keeps the form", async () => {
    shipFromUpdate.mockRejectedValue({
      code: "VALIDATION",
      message: "The ship-from address needs a city; \"XX\" is not a USPS state code; the street address is 51 characters; a USPS label takes at most 50",
      details: {
        kind: "order_problems",
        problems: [
          { field: "ship_from.city", message: "The ship-from address needs a city" },
          { field: "ship_from.state", message: "\"XX\" is not a USPS state code" },
          { field: "ship_from.street1", message: "the street address is 51 characters; a USPS label takes at most 50" },
        ],
      },
    });
    render(<ShipFromSettings />);
    fireEvent.click(within(await row("Warehouse")).getByRole("button", { name: "Edit Warehouse" }));
    const form = screen.getByTestId("ship-from-form");
    expect((within(form).getByLabelText(/^ZIP Code/) as HTMLInputElement).value).toBe("63118-2010");
    fireEvent.change(within(form).getByLabelText(/^City/), { target: { value: "" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    const city = within(form).getByLabelText(/^City/);
    await waitFor(() => expect(city.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(city.getAttribute("aria-describedby")!)!.textContent).toBe("The ship-from address needs a city");
    expect(within(form).getByLabelText(/^State/).getAttribute("aria-invalid")).toBe("true");
    expect(form.querySelector("[data-error-for=street1]")!.textContent).toContain("at most 50");
    expect(within(form).getByLabelText(/^Name/).getAttribute("aria-invalid")).toBeNull();
    expect(shipFromUpdate).toHaveBeenCalledWith(2, expect.objectContaining({ nickname: "Warehouse", address: expect.objectContaining({ city: "", zip5: "63118", zip4: "2010" }) }));
    // No second, general copy of the same problems.
    expect(within(form).queryByRole("alert")).toBeNull();
  });

  it("edits an address and says labels keep theirs", async () => {
    shipFromUpdate.mockResolvedValue(address(2, "Back door", false));
    render(<ShipFromSettings />);
    fireEvent.click(within(await row("Warehouse")).getByRole("button", { name: "Edit Warehouse" }));
    fireEvent.change(screen.getByLabelText(/^Nickname/), { target: { value: "Back door" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("ship-from-status")).textContent).toContain("Labels already bought keep the address");
    expect(shipFromUpdate).toHaveBeenCalledWith(2, expect.objectContaining({ nickname: "Back door" }));
    expect(screen.queryByTestId("ship-from-form")).toBeNull();
  });

  it("a refusal that names no field is shown above the form", async () => {
    shipFromUpdate.mockRejectedValue({ code: "CONFLICT", message: "A label purchase from this address is not finished." });
    render(<ShipFromSettings />);
    fireEvent.click(within(await row("Shop")).getByRole("button", { name: "Edit Shop" }));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("not finished");
    expect(screen.getByTestId("ship-from-form")).toBeTruthy();
  });

  it("makes an address the default", async () => {
    render(<ShipFromSettings />);
    shipFromList.mockResolvedValue([{ ...WAREHOUSE, is_default: true }, { ...SHOP, is_default: false }]);
    fireEvent.click(within(await row("Warehouse")).getByRole("button", { name: "Make Warehouse the default" }));
    expect((await screen.findByTestId("ship-from-status")).textContent).toBe("Warehouse is now the default ship-from address.");
    expect(shipFromSetDefault).toHaveBeenCalledWith(2);
    await waitFor(async () => expect(within(await row("Warehouse")).queryByText("Default")).toBeTruthy());
  });

  it("delete asks first, then says whether the address was deleted or archived", async () => {
    shipFromRemove.mockResolvedValueOnce("archived").mockResolvedValueOnce("deleted");
    render(<ShipFromSettings />);
    fireEvent.click(within(await row("Shop")).getByRole("button", { name: "Delete Shop" }));
    expect(shipFromRemove).not.toHaveBeenCalled();
    const confirm = screen.getByRole("group", { name: "Confirm deleting Shop" });
    expect(confirm.textContent).toContain("archived instead");
    shipFromList.mockResolvedValue([WAREHOUSE]);
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete" }));
    const status = await screen.findByTestId("ship-from-status");
    expect(status.textContent).toContain("Shop was archived");
    expect(status.textContent).toContain("no longer offered");
    expect(shipFromRemove).toHaveBeenCalledWith(1);
    await waitFor(() => expect(screen.queryByText("Shop")).toBeNull());

    fireEvent.click(within(await row("Warehouse")).getByRole("button", { name: "Delete Warehouse" }));
    shipFromList.mockResolvedValue([]);
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm deleting Warehouse" })).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.getByTestId("ship-from-status").textContent).toBe("Warehouse was deleted."));
  });

  it("Keep cancels a delete", async () => {
    render(<ShipFromSettings />);
    fireEvent.click(within(await row("Warehouse")).getByRole("button", { name: "Delete Warehouse" }));
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm deleting Warehouse" })).getByRole("button", { name: "Keep" }));
    expect(shipFromRemove).not.toHaveBeenCalled();
    expect(within(await row("Warehouse")).getByRole("button", { name: "Delete Warehouse" })).toBeTruthy();
  });
});
