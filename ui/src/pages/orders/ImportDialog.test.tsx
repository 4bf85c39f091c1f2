import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, ColumnMapping, ImportOptions, ImportPreview, ImportSummary } from "../../ipc";

const importPreview = vi.fn();
const importOrders = vi.fn();
const mappingSave = vi.fn();
const mappingsList = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      mappingsList: () => mappingsList(),
      mappingSave: (m: ColumnMapping) => mappingSave(m),
      pickOrderFile: async () => "/tmp/warehouse.csv",
      importPreview: (p: string, m: ColumnMapping | null) => importPreview(p, m),
      importOrders: (p: string, o: ImportOptions) => importOrders(p, o),
      importCancel: async () => undefined,
    },
    events: { onImportProgress: async () => () => undefined },
  };
});

import { ImportDialog } from "./ImportDialog";

const HEADERS = ["Order #", "Recipient", "Address", "Town", "State Abbr", "Zip Code", "Item"];
/** What core suggests for the sheet: nothing says "State Abbr" is the state. */
const SUGGESTED: ColumnMapping = {
  name: "",
  columns: { order_number: "Order #", name: "Recipient", street1: "Address", city: "Town", zip: "Zip Code", item_title: "Item" },
};
const ADDRESS = { name: "Cy Diaz", company: null, street1: "3 Oak Rd", street2: null, city: "Boise", state: "ID", zip5: "83702", zip4: null, country: "US", phone: null, email: null };

/** Core's preview of the sheet, as `orders_import_preview` answers for `mapping`. */
function previewFor(mapping: ColumnMapping | null): ImportPreview {
  const inPlay = mapping ?? SUGGESTED;
  const missingState = !inPlay.columns.state;
  const base: ImportPreview = {
    detected_format: "unknown",
    encoding: "UTF-8",
    delimiter: ",",
    headers: HEADERS,
    first_rows: [["W-1", "Cy Diaz", "3 Oak Rd", "Boise", "ID", "83702", "Soap"]],
    needs_mapping: mapping === null,
    suggested_mapping: mapping === null ? SUGGESTED : null,
    required_fields: ["name", "street1", "city", "state", "zip"],
    unmapped_required: missingState ? ["state"] : [],
    absent_columns: [],
    mapping_problems: missingState ? ["choose the column with the state"] : [],
    mapped_preview: [],
    problems: [],
    warnings: [],
  };
  if (mapping === null || missingState) return base;
  return {
    ...base,
    mapped_preview: [{ line: 2, order_number: "W-1", status: "awaiting_shipment", ship_to: ADDRESS, items: [{ sku: null, title: "Soap", quantity: 1, unit_price: null, weight_oz: null }], tags: [], notes: null }],
  };
}

function summary(patch: Partial<ImportSummary> = {}): ImportSummary {
  return { format: "unknown", mapping: null, encoding: "UTF-8", rows: 1, new: 1, updated: 0, unchanged: 0, skipped: 0, invalid: 0, problems: [], warnings: [], skipped_orders: [], ...patch };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const importButton = () => screen.getByRole("button", { name: "Import" }) as HTMLButtonElement;
const select = (field: string) => document.querySelector(`select[data-map=${field}]`) as HTMLSelectElement;

/** Opens the dialog and picks the sheet: the suggestion is previewed at once. */
async function openWithSheet(props: { onClose?: () => void; onImported?: () => void } = {}) {
  render(<ImportDialog onClose={props.onClose ?? (() => undefined)} onImported={props.onImported ?? (() => undefined)} />);
  fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
  await screen.findByTestId("mapping-form");
  await waitFor(() => expect(importPreview).toHaveBeenCalledTimes(2));
}

describe("Import dialog, a sheet whose suggested mapping misses a required column", () => {
  beforeEach(() => {
    cleanup();
    importPreview.mockReset().mockImplementation(async (_p: string, m: ColumnMapping | null) => previewFor(m));
    importOrders.mockReset().mockResolvedValue(summary());
    mappingSave.mockReset().mockResolvedValue(undefined);
    mappingsList.mockReset().mockResolvedValue([]);
  });

  it("marks the required fields and names the one still without a column; Import waits for it", async () => {
    await openWithSheet();
    // The suggestion itself is previewed, so its gaps are known before the user does anything.
    expect(importPreview).toHaveBeenNthCalledWith(1, "/tmp/warehouse.csv", null);
    expect(importPreview.mock.calls[1][1]).toEqual(SUGGESTED);
    const form = screen.getByTestId("mapping-form");
    for (const field of ["name", "street1", "city", "state", "zip"]) {
      expect(within(form.querySelector(`[data-field=${field}]`) as HTMLElement).getByText("required")).toBeTruthy();
    }
    expect(within(form.querySelector("[data-field=company]") as HTMLElement).queryByText("required")).toBeNull();
    expect(select("zip").value).toBe("Zip Code");
    expect(select("state").value).toBe("");
    expect(select("state").getAttribute("aria-invalid")).toBe("true");
    expect(form.querySelector("[data-field=state]")?.className).toContain("mapping-problem");
    expect(select("zip").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByTestId("mapping-missing").textContent).toBe("Choose a column for State to see the orders and import them.");
    expect(importButton().disabled).toBe(true);
  });

  it("previews and imports the very mapping object the user built, and the form never goes away", async () => {
    const onImported = vi.fn();
    await openWithSheet({ onImported });
    fireEvent.change(select("state"), { target: { value: "State Abbr" } });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    expect(screen.queryByTestId("mapping-missing")).toBeNull();
    expect(select("state").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByText("Boise, ID 83702")).toBeTruthy();
    const previewed = importPreview.mock.calls[2][1] as ColumnMapping;
    expect(previewed.columns.state).toBe("State Abbr");
    expect(screen.getByTestId("mapping-form")).toBeTruthy();

    fireEvent.click(importButton());
    await screen.findByTestId("import-summary");
    expect(importOrders).toHaveBeenCalledTimes(1);
    const options = importOrders.mock.calls[0][1] as ImportOptions;
    expect(options.column_mapping).toBe(previewed);
    expect(options.mapping).toBeUndefined();
    expect(onImported).toHaveBeenCalled();
    const text = screen.getByTestId("import-summary").textContent ?? "";
    expect(text).toContain("1 new");
    expect(text).toContain("Read with the columns you mapped");
    expect(text).not.toContain("unsaved");
  });

  it("a preview that fails shows its error beside the form, which keeps the user's choices", async () => {
    await openWithSheet();
    const failure: AppError = { code: "NOT_FOUND", message: "The file warehouse.csv could not be read: it was moved." };
    importPreview.mockRejectedValueOnce(failure);
    fireEvent.change(select("state"), { target: { value: "State Abbr" } });
    expect((await screen.findByRole("alert")).textContent).toContain("it was moved");
    expect(screen.getByTestId("mapping-form")).toBeTruthy();
    expect(select("state").value).toBe("State Abbr");
    expect(select("zip").value).toBe("Zip Code");
    expect(importButton().disabled).toBe(true);
    // Previewing again (the file is back) clears it.
    fireEvent.click(screen.getByRole("button", { name: "Preview again" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect(importButton().disabled).toBe(false);
  });

  it("an import refused for the mapping shows why beside the form, which stays", async () => {
    await openWithSheet();
    fireEvent.change(select("state"), { target: { value: "State Abbr" } });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    importOrders.mockRejectedValueOnce({
      code: "VALIDATION",
      message: "Check the column mapping: the file has no column \"State Abbr\" (mapped to state)",
      details: { kind: "mapping_problems", problems: ["the file has no column \"State Abbr\" (mapped to state)"] },
    } satisfies AppError);
    fireEvent.click(importButton());
    expect((await screen.findByRole("alert")).textContent).toContain("Nothing was imported");
    expect(screen.getByTestId("mapping-form")).toBeTruthy();
    expect(select("state").value).toBe("State Abbr");
  });

  it("Import right after a change waits for that change's preview and imports it", async () => {
    await openWithSheet();
    fireEvent.change(select("state"), { target: { value: "State Abbr" } });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    const slow = deferred<ImportPreview>();
    importPreview.mockImplementationOnce(() => slow.promise);
    fireEvent.change(select("street2"), { target: { value: "Item" } });
    fireEvent.click(importButton());
    await new Promise((r) => setTimeout(r, 20));
    expect(importOrders).not.toHaveBeenCalled();
    const changed = importPreview.mock.calls[3][1] as ColumnMapping;
    slow.resolve(previewFor(changed));
    await screen.findByTestId("import-summary");
    expect((importOrders.mock.calls[0][1] as ImportOptions).column_mapping).toBe(changed);
    expect(changed.columns.street2).toBe("Item");
  });

  it("saves the mapping by name, offers it for the next file, and imports under that name", async () => {
    await openWithSheet();
    fireEvent.change(select("state"), { target: { value: "State Abbr" } });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    const named = { ...SUGGESTED, columns: { ...SUGGESTED.columns, state: "State Abbr" }, name: "Warehouse sheet" };
    mappingsList.mockResolvedValue([named]);
    fireEvent.change(screen.getByLabelText("Save this mapping for the next file like this one"), { target: { value: " Warehouse sheet " } });
    fireEvent.click(screen.getByRole("button", { name: "Save mapping" }));
    expect((await screen.findByTestId("mapping-saved")).textContent).toContain("Saved as “Warehouse sheet”");
    expect(mappingSave).toHaveBeenCalledWith(named);
    const saved = (await screen.findByLabelText("Saved column mapping")) as HTMLSelectElement;
    await waitFor(() => expect(saved.value).toBe("Warehouse sheet"));
    expect(importButton().disabled).toBe(false);

    importOrders.mockResolvedValue(summary({ mapping: "Warehouse sheet" }));
    fireEvent.click(importButton());
    const done = await screen.findByTestId("import-summary");
    expect((importOrders.mock.calls[0][1] as ImportOptions).column_mapping).toEqual(named);
    expect(done.textContent).toContain("Read with the saved column mapping “Warehouse sheet”");
  });

  it("a saved mapping chosen from the list is previewed, editable, and what is imported", async () => {
    const saved: ColumnMapping = { name: "Warehouse sheet", columns: { ...SUGGESTED.columns, state: "State Abbr", country: "Country" } };
    mappingsList.mockResolvedValue([saved]);
    importPreview.mockImplementation(async (_p: string, m: ColumnMapping | null) => {
      const p = previewFor(m);
      return m?.columns.country ? { ...p, absent_columns: ["country"], mapping_problems: ["the file has no column \"Country\" (mapped to country)"], mapped_preview: [] } : p;
    });
    await openWithSheet();
    fireEvent.change(await screen.findByLabelText("Saved column mapping"), { target: { value: "Warehouse sheet" } });
    // The saved mapping names a column this sheet does not have: said, and fixable in place.
    expect((await screen.findByTestId("mapping-absent")).textContent).toBe("Country: this file has no column “Country”.");
    expect(select("country").getAttribute("aria-invalid")).toBe("true");
    expect(importButton().disabled).toBe(true);
    fireEvent.change(select("country"), { target: { value: "" } });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    // Edited, it is no longer the saved one: it imports as the columns mapped, under no name.
    expect((screen.getByLabelText("Saved column mapping") as HTMLSelectElement).value).toBe("");
    fireEvent.click(importButton());
    await screen.findByTestId("import-summary");
    const used = (importOrders.mock.calls[0][1] as ImportOptions).column_mapping!;
    expect(used.name).toBe("");
    expect(used.columns.country).toBeUndefined();
    expect(used.columns.state).toBe("State Abbr");
  });

  it("Escape closes the dialog", async () => {
    const onClose = vi.fn();
    await openWithSheet({ onClose });
    fireEvent.keyDown(select("state"), { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
  });
});
