import { describe, expect, it, vi } from "vitest";
import type { AccountConnection, AppError, ConnectionSnapshot, ConnectionState } from "../ipc";
import { connectionReducer, initialView, routeFailure, type ConnectionAction, type ConnectionView } from "./connectionReducer";
import { connectionSnapshot } from "./testAccounts";

const REASON = "USPS no longer accepts the saved authorization.";
const NEEDS: ConnectionState = { state: "needs_reconnect", reason: REASON };
const CONNECTED: ConnectionState = { state: "connected" };

function entry(id: number, state: ConnectionState, prompt: boolean): AccountConnection {
  return { account_id: id, nickname: `Account ${id}`, state, prompt };
}

function snapshot(revision: number, ...accounts: AccountConnection[]): ConnectionAction {
  const s: ConnectionSnapshot = connectionSnapshot(revision, accounts);
  return { type: "snapshot", snapshot: s };
}

function run(...actions: ConnectionAction[]): ConnectionView {
  return actions.reduce(connectionReducer, initialView);
}

function reconnectError(account: AccountConnection): AppError {
  return { code: "USPS_RECONNECT_REQUIRED", message: "Sign in again", details: { kind: "usps_connection", ...account } };
}

function failed(account: AccountConnection, retry?: () => void, alive = () => true): ConnectionAction {
  const action = routeFailure(reconnectError(account), retry, alive, "#/orders");
  if (!action) throw new Error("a reconnect error is the connection's");
  return action;
}

describe("core's snapshots", () => {
  it("keep the newest revision, whatever order they arrive in", () => {
    const view = run(snapshot(3, entry(1, NEEDS, false)), snapshot(2, entry(1, CONNECTED, false)));
    expect(view.snapshot?.revision).toBe(3);
    expect(view.snapshot?.accounts[0].state).toEqual(NEEDS);
  });

  it("prompt when core newly says so, not for what a window finds on opening", () => {
    expect(run(snapshot(1, entry(1, NEEDS, true))).prompt).toBeNull();
    const view = run(snapshot(1, entry(1, CONNECTED, false)), snapshot(2, entry(1, NEEDS, true)));
    expect(view.prompt).toMatchObject({ accountId: 1, message: REASON, startNow: false });
  });

  it("do not reopen a prompt the snooze closed", () => {
    const view = run(
      snapshot(1, entry(1, CONNECTED, false)),
      snapshot(2, entry(1, NEEDS, true)),
      { type: "remind_later", hash: "" },
      snapshot(3, entry(1, NEEDS, false)),
    );
    expect(view.prompt).toBeNull();
  });
});

describe("a failed call", () => {
  it("opens the prompt when core says it should, with the retry", () => {
    const retry = vi.fn();
    const view = run(failed(entry(1, NEEDS, true), retry));
    expect(view.prompt).toMatchObject({ accountId: 1, nickname: "Account 1", retry });
  });

  it("hands its retry to the prompt already open for the account", () => {
    const retry = vi.fn();
    const view = run(snapshot(1, entry(1, CONNECTED, false)), snapshot(2, entry(1, NEEDS, true)), failed(entry(1, NEEDS, true), retry));
    expect(view.prompt?.retry).toBe(retry);
  });

  it("parks its retry while Remind Me Later holds, and a reconnect elsewhere offers it", () => {
    const retry = vi.fn();
    const parked = run(snapshot(1, entry(1, NEEDS, false)), failed(entry(1, NEEDS, false), retry));
    expect(parked.prompt).toBeNull();
    expect(parked.parked).toMatchObject({ accountId: 1, retry, hash: "#/orders" });
    const back = connectionReducer(parked, snapshot(2, entry(1, CONNECTED, false)));
    expect(back.parked).toBeNull();
    expect(back.retryOffer?.retry).toBe(retry);
  });

  it("is not offered again once its screen is gone", () => {
    const view = run(snapshot(1, entry(1, NEEDS, false)), failed(entry(1, NEEDS, false), vi.fn(), () => false), snapshot(2, entry(1, CONNECTED, false)));
    expect(view.retryOffer).toBeNull();
    expect(view.parked).toBeNull();
  });

  it("is left to the page when core holds no reconnect for the account", () => {
    expect(routeFailure(reconnectError(entry(1, { state: "disconnected" }, false)), undefined, () => true, "")).toBeNull();
    expect(routeFailure({ code: "USPS_REJECTED", message: "ZIP does not match" }, undefined, () => true, "")).toBeNull();
  });

  it("is read through the purchase it happened in", () => {
    const inPurchase: AppError = {
      code: "USPS_NOT_ENTITLED",
      message: "Labels and Payments is missing",
      details: {
        kind: "purchase",
        order_id: 9,
        attempt_id: 4,
        cause: { kind: "usps_connection", ...entry(1, { state: "not_entitled", missing: ["Labels and Payments"], fix: "Ask USPS." }, false) },
      },
    };
    expect(routeFailure(inPurchase, undefined, () => true, "")).toEqual({ type: "not_entitled", error: inPurchase });
  });
});

describe("the banner's Reconnect", () => {
  it("signs the first account needing it in at once, carrying the parked retry", () => {
    const retry = vi.fn();
    const view = run(snapshot(1, entry(2, CONNECTED, false), entry(1, NEEDS, false)), failed(entry(1, NEEDS, false), retry), { type: "banner_reconnect" });
    expect(view.prompt).toMatchObject({ accountId: 1, startNow: true, retry });
    expect(view.parked).toBeNull();
  });
});
