import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, PrinterChoices, PrintingSetup } from "../../ipc";

const m = { setup: vi.fn(), setChoices: vi.fn(), testPage: vi.fn(), setLayout: vi.fn() };

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      printingSetup: () => m.setup(),
      setPrinterChoices: (c: PrinterChoices) => m.setChoices(c),
      printTestPage: (k: string) => m.testPage(k),
      labelLayout: async () => "4x6",
      setLabelLayout: (l: string) => m.setLayout(l),
    },
  };
});

import { PrintingSettings } from "./PrintingSettings";

const SETUP: PrintingSetup = {
  printers: [
    { name: "Laser_Office", is_default: true },
    { name: "Rollo_X1040", is_default: false },
  ],
  choices: { labels: null, packing_slips: null, scan_forms: "Old_Laser" },
  problem: null,
};

describe("Settings › Printing", () => {
  beforeEach(() => {
    cleanup();
    m.setup.mockReset().mockResolvedValue(SETUP);
    m.setChoices.mockReset().mockImplementation(async (c: PrinterChoices) => c);
    m.testPage.mockReset();
    m.setLayout.mockReset().mockResolvedValue(undefined);
  });

  it("chooses a printer per document, keeps a missing one visible, and prints a test page on it", async () => {
    render(<PrintingSettings />);
    const labels = (await screen.findByTestId("printer-labels")) as HTMLSelectElement;
    expect(labels.value).toBe("");
    expect(within(labels).getByRole("option", { name: "Laser_Office (system default)" })).toBeTruthy();
    expect((screen.getByTestId("printer-scan_forms") as HTMLSelectElement).value).toBe("Old_Laser");
    expect(within(screen.getByTestId("printer-scan_forms")).getByRole("option", { name: "Old_Laser (not found now)" })).toBeTruthy();

    fireEvent.change(labels, { target: { value: "Rollo_X1040" } });
    await waitFor(() => expect(m.setChoices).toHaveBeenCalledWith({ labels: "Rollo_X1040", packing_slips: null, scan_forms: "Old_Laser" }));
    m.testPage.mockResolvedValue("Rollo_X1040");
    fireEvent.click(document.querySelector("[data-action=test-page-labels]")!);
    expect(await screen.findByText("Labels: test page sent to Rollo_X1040")).toBeTruthy();
    expect(m.testPage).toHaveBeenCalledWith("labels");

    fireEvent.change(screen.getByTestId("printing-label-format"), { target: { value: "letter" } });
    await waitFor(() => expect(m.setLayout).toHaveBeenCalledWith("letter"));
  });

  it("says when the system cannot list printers, and shows a refused name next to its document", async () => {
    m.setup.mockResolvedValue({ ...SETUP, printers: [], problem: "The system print service (CUPS) is not available." });
    render(<PrintingSettings />);
    expect((await screen.findByTestId("printers-problem")).textContent).toContain("CUPS");
    const refused: AppError = { code: "VALIDATION", message: "not a printer", details: { kind: "fields", fields: { packing_slips: "“-x” is not a printer name" } } };
    m.setChoices.mockRejectedValue(refused);
    fireEvent.change(screen.getByTestId("printer-packing_slips"), { target: { value: "Old_Laser" } });
    const problem = await screen.findByText("“-x” is not a printer name");
    expect(problem.getAttribute("data-error-for")).toBe("packing_slips");
  });
});
