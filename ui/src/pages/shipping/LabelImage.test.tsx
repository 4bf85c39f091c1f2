import { describe, expect, it, vi, afterEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor } from "@testing-library/react";
import type { AppError } from "../../ipc";
import { shipment } from "./testData";

const m = { labelPreview: vi.fn(), labelDownloadAgain: vi.fn() };

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      labelPreview: (id: number) => m.labelPreview(id),
      labelDownloadAgain: (id: number) => m.labelDownloadAgain(id),
    },
  };
});

const { LabelImage } = await import("./LabelPreviews");

const noImage: AppError = { code: "NOT_FOUND", message: "USPS returned no label image for this shipment" };

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("LabelImage", () => {
  it("offers to download a label whose copy is missing, then shows it", async () => {
    m.labelPreview.mockRejectedValueOnce(noImage).mockResolvedValueOnce({ kind: "png", base64: "iVBORw0KGgo=" });
    m.labelDownloadAgain.mockResolvedValue(shipment(7));
    render(<LabelImage shipment={shipment(7)} />);
    const button = await screen.findByRole("button", { name: "Download the label from USPS again" });
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByRole("img")).toBeTruthy());
    expect(m.labelDownloadAgain).toHaveBeenCalledWith(7);
    expect(m.labelPreview).toHaveBeenCalledTimes(2);
  });

  it("does not offer a download for other preview failures", async () => {
    m.labelPreview.mockRejectedValue({ code: "INTERNAL", message: "The label could not be drawn" } satisfies AppError);
    render(<LabelImage shipment={shipment(8)} />);
    await screen.findByText("The label could not be drawn", { exact: false });
    expect(screen.queryByRole("button", { name: /Download the label/ })).toBeNull();
  });
});
