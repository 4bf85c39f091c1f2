import { EmptyState } from "../components/EmptyState";

export function OrdersPage() {
  return (
    <section aria-labelledby="orders-title" data-page="orders">
      <header className="page-header">
        <h1 id="orders-title">Orders</h1>
      </header>
      <EmptyState title="No orders yet — Import orders">
        <p>
          Bring in a marketplace export (Shopify, Etsy, eBay, Amazon, WooCommerce) or any spreadsheet of
          orders, or enter an order by hand.
        </p>
      </EmptyState>
    </section>
  );
}
