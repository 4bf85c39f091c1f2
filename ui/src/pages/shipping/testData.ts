// Shipping fixtures for the UI tests (shapes from ../../bindings).
import type { AddressCheck, Order, RateQuote, RatesAnswer, Shipment, ShipFromAddress } from "../../ipc";

export const ADDRESS = { name: "Ada Park", company: null, street1: "12 elm street", street2: null, city: "Austin", state: "TX", zip5: "78701", zip4: null, country: "US", phone: null, email: null };

export function order(id: number, patch: Partial<Order> = {}): Order {
  return {
    id,
    order_number: `#${1000 + id}`,
    source: { kind: "shopify", source_id: String(id) },
    status: "awaiting_shipment",
    ship_to: { ...ADDRESS },
    items: [{ sku: "HC-1", title: "Hand Cream", quantity: 2, unit_price: "12.00", weight_oz: "4" }],
    tags: [],
    notes: null,
    archived: false,
    ordered_at: null,
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    ...patch,
  } as Order;
}

export const SHIP_FROM: ShipFromAddress = {
  id: 7,
  nickname: "Shop",
  address: { name: "Desk Goods", company: null, street1: "100 Main St", street2: null, city: "Austin", state: "TX", zip5: "78701", zip4: null, country: "US", phone: null, email: null },
  is_default: true,
};

export const CHECK: AddressCheck = {
  as_entered: { ...ADDRESS },
  standardized: { ...ADDRESS, street1: "12 ELM ST", zip4: "1234" },
  differences: [
    { field: "street1", entered: "12 elm street", suggested: "12 ELM ST" },
    { field: "zip4", entered: null, suggested: "1234" },
  ],
  corrections: [],
  usps_notes: ["31: Single Response - exact match"],
  deliverable: "yes",
  dpv_confirmation: "Y",
  carrier_route: "C001",
  business: false,
  vacant: false,
  message: null,
};

const PKG = { weight_oz: "8", dimensions: { length_in: "10", width_in: "8", height_in: "4" } };

export const RATES: RatesAnswer = {
  origin_zip: "78701",
  destination_country: "US",
  destination_zip: "78701",
  package: PKG,
  contract_requested: true,
  contract_prices: true,
  contract_unavailable: null,
  from_cache: false,
  paid_from: "Sandbox demo",
  recommended: { mail_class: "USPS_GROUND_ADVANTAGE", rate_indicator: "SP", processing_category: "MACHINABLE" },
  recommended_flat_rate: null,
  quotes: [
    {
      choice: { mail_class: "USPS_GROUND_ADVANTAGE", rate_indicator: "SP", processing_category: "MACHINABLE" },
      product_name: "USPS Ground Advantage",
      description: null,
      zone: "01",
      retail: "7.45",
      commercial: "5.4",
      contract: "5.1",
      contract_rate_not_found: false,
      price: "5.1",
      delivery_days: "2-5 days",
      warnings: [],
      packaging: "own",
      fits_package: true,
      restriction: null,
    },
    {
      choice: { mail_class: "PRIORITY_MAIL", rate_indicator: "SP", processing_category: "MACHINABLE" },
      product_name: "Priority Mail",
      description: null,
      zone: "01",
      retail: "10.40",
      commercial: "8.55",
      contract: "8.55",
      contract_rate_not_found: true,
      price: "8.55",
      delivery_days: "1-3 days",
      warnings: [],
      packaging: "own",
      fits_package: true,
      restriction: null,
    },
  ],
};

const quote = (
  mail_class: string,
  rate_indicator: string,
  product_name: string,
  description: string | null,
  price: string,
  shape: Pick<RateQuote, "packaging" | "fits_package" | "restriction"> = { packaging: "own", fits_package: true, restriction: null },
): RateQuote => ({
  choice: { mail_class, rate_indicator, processing_category: "MACHINABLE" },
  product_name,
  description,
  zone: "05",
  retail: null,
  commercial: price,
  contract: null,
  contract_rate_not_found: false,
  price,
  delivery_days: null,
  warnings: [],
  ...shape,
});

/**
 * Rates for a 10 lb box whose cheapest rows are no safe default (Media Mail is for media only,
 * the flat-rate envelope cannot hold the box): core recommends Ground Advantage. The envelope
 * shows only when the user says they ship in USPS flat-rate packaging, and then as not fitting.
 */
export const RATES_CHEAPEST_UNSAFE: RatesAnswer = {
  ...RATES,
  contract_requested: false,
  contract_prices: false,
  recommended: { mail_class: "USPS_GROUND_ADVANTAGE", rate_indicator: "SP", processing_category: "MACHINABLE" },
  quotes: [
    quote("MEDIA_MAIL", "SP", "Media Mail", null, "6.43", { packaging: "own", fits_package: true, restriction: "Only books, printed music, sound and video recordings and educational media." }),
    quote("PRIORITY_MAIL", "FE", "Priority Mail", "Priority Mail Flat Rate Envelope", "9.85", { packaging: "flat_rate", fits_package: false, restriction: null }),
    quote("USPS_GROUND_ADVANTAGE", "SP", "USPS Ground Advantage", null, "16.75"),
    quote("PRIORITY_MAIL", "SP", "Priority Mail", null, "24.10"),
  ],
};

export function shipment(id: number, patch: Partial<Shipment> = {}): Shipment {
  return {
    id,
    order_id: id,
    order_number: `#${1000 + id}`,
    account_id: 1,
    tracking_number: `92055900000000000000${id}`,
    mail_class: "USPS_GROUND_ADVANTAGE",
    service_name: "USPS Ground Advantage",
    postage: "5.10",
    zone: "01",
    commitment: "3 Days",
    mailing_date: "2026-11-21",
    weight_oz: "8",
    ship_from_id: 7,
    ship_from: SHIP_FROM.address,
    ship_to: { ...ADDRESS },
    address_choice: "as_entered",
    status: "label_created",
    dispute_id: null,
    printed: false,
    printed_at: null,
    scan_form_id: null,
    sample: true,
    tracking_status: null,
    tracking_checked_at: null,
    created_at: "2026-11-21T15:00:00Z",
    void_pending: false,
    ...patch,
  };
}
