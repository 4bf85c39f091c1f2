import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { PackagePreset } from "../../ipc";

const packagePresets = vi.fn();
const packagePresetAdd = vi.fn();
const packagePresetUpdate = vi.fn();
const packagePresetDelete = vi.fn();
const packagePresetSetDefault = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      packagePresets: () => packagePresets(),
      packagePresetAdd: (i: unknown) => packagePresetAdd(i),
      packagePresetUpdate: (id: number, i: unknown) => packagePresetUpdate(id, i),
      packagePresetDelete: (id: number) => packagePresetDelete(id),
      packagePresetSetDefault: (id: number) => packagePresetSetDefault(id),
    },
  };
});

import { PackageSettings } from "./PackageSettings";

function preset(id: number, name: string, dims: [string, string, string], weight_oz: string | null, is_default = false): PackagePreset {
  return { id, name, dimensions: { length_in: dims[0], width_in: dims[1], height_in: dims[2] }, weight_oz, is_default };
}

const MAILER = preset(1, "Mailer", ["12", "9", "1"], "5", true);
const BIG = preset(2, "Big box", ["20", "16", "12"], null);

async function row(name: string) {
  const list = await screen.findByTestId("package-list");
  return within(list).getByText(name).closest("li")!;
}

describe("Settings › Packages", () => {
  beforeEach(() => {
    cleanup();
    packagePresets.mockReset().mockResolvedValue([MAILER, BIG]);
    packagePresetAdd.mockReset();
    packagePresetUpdate.mockReset();
    packagePresetDelete.mockReset().mockResolvedValue(undefined);
    packagePresetSetDefault.mockReset().mockResolvedValue(undefined);
  });

  it("lists the packages with size, usual weight and the default", async () => {
    render(<PackageSettings />);
    const mailer = await row("Mailer");
    expect(mailer.textContent).toContain("12 × 9 × 1 in");
    expect(mailer.textContent).toContain("usually 0 lb 5 oz");
    expect(within(mailer).getByText("Default")).toBeTruthy();
    const big = await row("Big box");
    expect(big.textContent).toContain("weighed each time");
    expect(within(big).getByRole("button", { name: "Make Big box the default" })).toBeTruthy();
  });

  it("adds a package: weight in pounds and ounces goes to core in ounces; blank weight is none", async () => {
    packagePresetAdd.mockResolvedValue(preset(3, "Poly mailer", ["10", "13", "0.5"], "20"));
    render(<PackageSettings />);
    fireEvent.click(await screen.findByRole("button", { name: "Add package" }));
    const form = screen.getByTestId("package-form");
    expect(document.activeElement).toBe(within(form).getByLabelText("Name"));
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " Poly mailer " } });
    fireEvent.change(within(form).getByLabelText("Length"), { target: { value: "10" } });
    fireEvent.change(within(form).getByLabelText("Width"), { target: { value: "13" } });
    fireEvent.change(within(form).getByLabelText("Height"), { target: { value: "0.5" } });
    fireEvent.change(within(form).getByLabelText("Pounds"), { target: { value: "1" } });
    fireEvent.change(within(form).getByLabelText("Ounces"), { target: { value: "4" } });
    fireEvent.click(within(form).getByLabelText(/Start new shipments with this package/));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("packages-status")).textContent).toBe("Poly mailer was added.");
    expect(packagePresetAdd).toHaveBeenCalledWith({
      name: "Poly mailer",
      dimensions: { length_in: "10", width_in: "13", height_in: "0.5" },
      weight_oz: "20",
      is_default: true,
    });
  });

  it("shows core's problems at the size and weight fields", async () => {
    packagePresetUpdate.mockRejectedValueOnce({
      code: "VALIDATION",
      message: "The package height must be more than 0 and at most 108 inches",
      details: { kind: "fields", fields: { "dimensions.height_in": "The package height must be more than 0 and at most 108 inches" } },
    });
    packagePresetUpdate.mockRejectedValueOnce({
      code: "CONFLICT",
      message: 'A package preset named "Mailer" already exists',
    });
    render(<PackageSettings />);
    fireEvent.click(within(await row("Big box")).getByRole("button", { name: "Edit Big box" }));
    const form = screen.getByTestId("package-form");
    expect((within(form).getByLabelText("Height") as HTMLInputElement).value).toBe("12");
    fireEvent.change(within(form).getByLabelText("Height"), { target: { value: "0" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    const height = within(form).getByLabelText("Height");
    await waitFor(() => expect(height.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(height.getAttribute("aria-describedby")!)!.textContent).toContain("at most 108 inches");
    expect(within(form).getByLabelText("Length").getAttribute("aria-invalid")).toBeNull();
    expect(packagePresetUpdate).toHaveBeenCalledWith(2, { name: "Big box", dimensions: { length_in: "20", width_in: "16", height_in: "0" }, weight_oz: null, is_default: false });

    // A weight that is not a number is caught before core is asked.
    fireEvent.change(within(form).getByLabelText("Height"), { target: { value: "12" } });
    fireEvent.change(within(form).getByLabelText("Pounds"), { target: { value: "two" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(form.querySelector("[data-error-for=weight_oz]")!.textContent).toContain("pounds and ounces");
    expect(packagePresetUpdate).toHaveBeenCalledTimes(1);

    // A name another package has: core's message, the form stays.
    fireEvent.change(within(form).getByLabelText("Pounds"), { target: { value: "" } });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Mailer" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await within(form).findByRole("alert")).textContent).toContain("already exists");
  });

  it("makes a package the default", async () => {
    render(<PackageSettings />);
    packagePresets.mockResolvedValue([{ ...BIG, is_default: true }, { ...MAILER, is_default: false }]);
    fireEvent.click(within(await row("Big box")).getByRole("button", { name: "Make Big box the default" }));
    expect((await screen.findByTestId("packages-status")).textContent).toBe("Big box is now the default package.");
    expect(packagePresetSetDefault).toHaveBeenCalledWith(2);
    await waitFor(async () => expect(within(await row("Big box")).queryByText("Default")).toBeTruthy());
  });

  it("delete asks first", async () => {
    render(<PackageSettings />);
    fireEvent.click(within(await row("Mailer")).getByRole("button", { name: "Delete Mailer" }));
    expect(packagePresetDelete).not.toHaveBeenCalled();
    packagePresets.mockResolvedValue([{ ...BIG, is_default: true }]);
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm deleting Mailer" })).getByRole("button", { name: "Delete" }));
    expect((await screen.findByTestId("packages-status")).textContent).toBe("Mailer was deleted.");
    expect(packagePresetDelete).toHaveBeenCalledWith(1);
    await waitFor(() => expect(screen.queryByText("Mailer")).toBeNull());
  });

  it("says when there is no package yet", async () => {
    packagePresets.mockResolvedValue([]);
    render(<PackageSettings />);
    expect(await screen.findByText("No packages saved yet")).toBeTruthy();
  });
});
