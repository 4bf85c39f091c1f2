// Shipping: typed calls over the shipping commands, the OS save dialog for PDFs, and
// the `batch://progress` event a running label batch emits.
import { call, subscribe } from "./core";
import type { Address } from "../bindings/Address";
import type { DocumentKind } from "../bindings/DocumentKind";
import type { PrinterChoices } from "../bindings/PrinterChoices";
import type { PrintingSetup } from "../bindings/PrintingSetup";
import type { SystemPrinter } from "../bindings/SystemPrinter";
import type { AddressCheck } from "../bindings/AddressCheck";
import type { BatchAddresses } from "../bindings/BatchAddresses";
import type { BatchFailure } from "../bindings/BatchFailure";
import type { BatchHold } from "../bindings/BatchHold";
import type { BatchInput } from "../bindings/BatchInput";
import type { BatchOptions } from "../bindings/BatchOptions";
import type { BatchPreview } from "../bindings/BatchPreview";
import type { BatchPreviewLine } from "../bindings/BatchPreviewLine";
import type { BatchProgress } from "../bindings/BatchProgress";
import type { BatchReport } from "../bindings/BatchReport";
import type { BatchServiceTotal } from "../bindings/BatchServiceTotal";
import type { ContentsType } from "../bindings/ContentsType";
import type { CustomsDeclaration } from "../bindings/CustomsDeclaration";
import type { CustomsDraft } from "../bindings/CustomsDraft";
import type { CustomsItem } from "../bindings/CustomsItem";
import type { Deliverable } from "../bindings/Deliverable";
import type { NonDelivery } from "../bindings/NonDelivery";
import type { Restriction } from "../bindings/Restriction";
import type { Dimensions } from "../bindings/Dimensions";
import type { DiscardOutcome } from "../bindings/DiscardOutcome";
import type { FailureKind } from "../bindings/FailureKind";
import type { FieldDifference } from "../bindings/FieldDifference";
import type { HoldReason } from "../bindings/HoldReason";
import type { LabelLayout } from "../bindings/LabelLayout";
import type { LabelPreview } from "../bindings/LabelPreview";
import type { OrderRates } from "../bindings/OrderRates";
import type { Package } from "../bindings/Package";
import type { PackagePreset } from "../bindings/PackagePreset";
import type { PackagePresetInput } from "../bindings/PackagePresetInput";
import type { Pickup } from "../bindings/Pickup";
import type { PickupEligibility } from "../bindings/PickupEligibility";
import type { PickupInput } from "../bindings/PickupInput";
import type { PickupPackageCount } from "../bindings/PickupPackageCount";
import type { PickupPrefill } from "../bindings/PickupPrefill";
import type { PurchaseOutcome } from "../bindings/PurchaseOutcome";
import type { PurchaseRequest } from "../bindings/PurchaseRequest";
import type { PurchaseToCheck } from "../bindings/PurchaseToCheck";
import type { RateChoice } from "../bindings/RateChoice";
import type { RateQuote } from "../bindings/RateQuote";
import type { RatesAnswer } from "../bindings/RatesAnswer";
import type { ScanFormRecord } from "../bindings/ScanFormRecord";
import type { ShipFromAddress } from "../bindings/ShipFromAddress";
import type { ShipFromRemoval } from "../bindings/ShipFromRemoval";
import type { ShipFromInput } from "../bindings/ShipFromInput";
import type { Shipment } from "../bindings/Shipment";
import type { ShipmentQuery } from "../bindings/ShipmentQuery";
import type { ShipmentStatus } from "../bindings/ShipmentStatus";
import type { ShipToChoice } from "../bindings/ShipToChoice";
import type { VoidOutcome } from "../bindings/VoidOutcome";
import type { WeightSource } from "../bindings/WeightSource";

export type {
  Address,
  AddressCheck,
  DocumentKind,
  PrinterChoices,
  PrintingSetup,
  SystemPrinter,
  BatchAddresses,
  BatchFailure,
  BatchHold,
  BatchInput,
  BatchOptions,
  BatchPreview,
  BatchPreviewLine,
  BatchProgress,
  BatchReport,
  BatchServiceTotal,
  ContentsType,
  CustomsDeclaration,
  CustomsDraft,
  CustomsItem,
  Deliverable,
  Dimensions,
  DiscardOutcome,
  FailureKind,
  FieldDifference,
  HoldReason,
  LabelLayout,
  LabelPreview,
  NonDelivery,
  Restriction,
  OrderRates,
  Package,
  PackagePreset,
  PackagePresetInput,
  Pickup,
  PickupEligibility,
  PickupInput,
  PickupPackageCount,
  PickupPrefill,
  PurchaseOutcome,
  PurchaseRequest,
  PurchaseToCheck,
  RateChoice,
  RateQuote,
  RatesAnswer,
  ScanFormRecord,
  ShipFromAddress,
  ShipFromInput,
  ShipFromRemoval,
  Shipment,
  ShipmentQuery,
  ShipmentStatus,
  ShipToChoice,
  VoidOutcome,
  WeightSource,
};

/**
 * The OS "Save as" dialog for a PDF, shown by the app; resolves to the picked path (ending in
 * .pdf) or null when the user cancels. The save commands write only to paths picked here.
 */
function pickPdfPath(defaultName: string): Promise<string | null> {
  return call<string | null>("pdf_pick_save_path", { defaultName });
}

export const shippingIpc = {
  shipFromList: () => call<ShipFromAddress[]>("ship_from_list"),
  shipFromAdd: (input: ShipFromInput) => call<ShipFromAddress>("ship_from_add", { input }),
  shipFromUpdate: (id: number, input: ShipFromInput) => call<ShipFromAddress>("ship_from_update", { id, input }),
  /** Deletes the address, or archives it (hidden from pickers) when labels, SCAN forms or pickups use it; says which. */
  shipFromRemove: (id: number) => call<ShipFromRemoval>("ship_from_remove", { id }),
  shipFromSetDefault: (id: number) => call<void>("ship_from_set_default", { id }),
  /** The presets, the default (the box a new shipment starts with) first. */
  packagePresets: () => call<PackagePreset[]>("package_presets_list"),
  packagePresetAdd: (input: PackagePresetInput) => call<PackagePreset>("package_preset_add", { input }),
  packagePresetUpdate: (id: number, input: PackagePresetInput) => call<PackagePreset>("package_preset_update", { id, input }),
  packagePresetSetDefault: (id: number) => call<void>("package_preset_set_default", { id }),
  packagePresetDelete: (id: number) => call<void>("package_preset_delete", { id }),
  labelLayout: () => call<LabelLayout>("label_layout_get"),
  /** The system's printers and the printer chosen for each kind of document. */
  printingSetup: () => call<PrintingSetup>("printing_setup"),
  /** Saves the printer per kind of document (null: the system default); the saved choices. */
  setPrinterChoices: (choices: PrinterChoices) => call<PrinterChoices>("printing_set_choices", { choices }),
  /** Prints a test page for `kind`; the printer it went to (null: the system default). */
  printTestPage: (kind: DocumentKind) => call<string | null>("printing_test_page", { kind }),
  setLabelLayout: (layout: LabelLayout) => call<void>("label_layout_set", { layout }),

  checkOrderAddress: (orderId: number) => call<AddressCheck>("address_check_order", { orderId, accountId: null }),
  ratesForOrder: (orderId: number, pkg: Package | null, shipFromId: number | null, shipTo: Address | null) =>
    call<RatesAnswer>("rates_for_order", { orderId, package: pkg, shipFromId, shipTo, accountId: null }),
  ratesForOrders: (orderIds: number[], pkg: Package | null, shipFromId: number | null) =>
    call<OrderRates[]>("rates_for_orders", { orderIds, package: pkg, shipFromId, accountId: null }),

  customsDraft: (orderId: number) => call<CustomsDraft>("customs_draft", { orderId }),
  buyLabel: (request: PurchaseRequest) => call<PurchaseOutcome>("label_buy", { request }),
  /** Each order at its own weight with its rates, and the expected total per service; buys nothing. */
  previewBatch: (input: BatchInput) => call<BatchPreview>("labels_batch_preview", { input }),
  /** Buys each order at its own weight, each address checked first (core decides both). */
  buyBatch: (input: BatchInput, options: BatchOptions | null = null) =>
    call<BatchReport>("labels_buy_batch", { input, options }),
  retryBatch: (report: BatchReport, options: BatchOptions | null = null) =>
    call<BatchReport>("labels_batch_retry", { report, options }),
  cancelBatch: () => call<void>("labels_batch_cancel"),

  /** Purchases whose outcome is not settled (Shipments › Purchases to check). */
  purchasesToCheck: () => call<PurchaseToCheck[]>("shipping_purchases_to_check"),
  /** Re-sends the purchase with its own key: USPS returns the label it made, or makes it now. */
  checkPurchaseAgain: (attemptId: number) => call<Shipment>("shipping_check_purchase_again", { attemptId }),
  /** Cancels at USPS whatever label the purchase made, then closes it so the order can be bought again. */
  discardPurchase: (attemptId: number) => call<DiscardOutcome>("shipping_discard_purchase", { attemptId }),

  labelPreview: (shipmentId: number) => call<LabelPreview>("label_preview", { shipmentId }),
  /** Fetches the label's document from USPS again (its copy is missing); USPS limits reprints. */
  labelDownloadAgain: (shipmentId: number) => call<Shipment>("label_download_again", { shipmentId }),
  printLabels: (shipmentIds: number[], layout: LabelLayout | null) => call<number>("labels_print", { shipmentIds, layout }),
  /** Asks where to save, then saves; null when the user cancelled the dialog. */
  saveLabelsPdf: async (shipmentIds: number[], layout: LabelLayout | null, defaultName: string): Promise<string[] | null> => {
    const path = await pickPdfPath(defaultName);
    return path == null ? null : call<string[]>("labels_save_pdf", { shipmentIds, layout, path });
  },

  printPackingSlips: (orderIds: number[], shipFromId: number | null) => call<void>("packing_slips_print", { orderIds, shipFromId }),
  savePackingSlipsPdf: async (orderIds: number[], shipFromId: number | null, defaultName: string): Promise<string | null> => {
    const path = await pickPdfPath(defaultName);
    if (path == null) return null;
    await call<void>("packing_slips_save_pdf", { orderIds, shipFromId, path });
    return path;
  },

  shipments: (query: ShipmentQuery) => call<Shipment[]>("shipments_list", { query }),
  shipment: (id: number) => call<Shipment>("shipment_get", { id }),
  voidLabel: (shipmentId: number) => call<VoidOutcome>("label_void", { shipmentId }),
  refreshTracking: (shipmentIds: number[]) => call<Shipment[]>("tracking_refresh", { shipmentIds }),

  createScanForms: (mailingDate: string | null = null) =>
    call<ScanFormRecord[]>("scan_forms_create", { mailingDate, accountId: null }),
  scanForms: () => call<ScanFormRecord[]>("scan_forms_list"),
  printScanForm: (id: number) => call<void>("scan_form_print", { id }),
  saveScanFormPdf: async (id: number, defaultName: string): Promise<string | null> => {
    const path = await pickPdfPath(defaultName);
    if (path == null) return null;
    await call<void>("scan_form_save_pdf", { id, path });
    return path;
  },

  pickupEligibility: (shipFromId: number | null) => call<PickupEligibility>("pickup_eligibility", { shipFromId, accountId: null }),
  pickupPrefill: (shipFromId: number | null, pickupDate: string | null) =>
    call<PickupPrefill>("pickup_prefill", { shipFromId, pickupDate, accountId: null }),
  schedulePickup: (input: PickupInput) => call<Pickup>("pickup_schedule", { input }),
  cancelPickup: (id: number) => call<Pickup>("pickup_cancel", { id }),
  pickups: () => call<Pickup[]>("pickups_list"),
};

export const shippingEvents = {
  onBatchProgress: (handler: (p: BatchProgress) => void) => subscribe<BatchProgress>("batch://progress", handler),
};
