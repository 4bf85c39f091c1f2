import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor } from "@testing-library/react";
import type { AppError, EndiciaRemembered, PostageAccount } from "../../ipc";

const endiciaRemembered = vi.fn();
const endiciaLogin = vi.fn();
const endiciaAccount = vi.fn();
const endiciaBuy = vi.fn();
const endiciaChangePassPhrase = vi.fn();
const endiciaForget = vi.fn();
const endiciaChallengeQuestion = vi.fn();
const endiciaUnlock = vi.fn();
const endiciaPayLabels = vi.fn();
const endiciaAutoBuy = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      endiciaRemembered: () => endiciaRemembered(),
      endiciaLogin: (l: unknown) => endiciaLogin(l),
      endiciaAccount: () => endiciaAccount(),
      endiciaBuy: (a: string) => endiciaBuy(a),
      endiciaChangePassPhrase: (c: unknown) => endiciaChangePassPhrase(c),
      endiciaLogout: async () => undefined,
      endiciaForget: () => endiciaForget(),
      endiciaChallengeQuestion: (a: string, e: string) => endiciaChallengeQuestion(a, e),
      endiciaUnlock: (u: unknown) => endiciaUnlock(u),
      endiciaPayLabels: (p: boolean) => endiciaPayLabels(p),
      endiciaAutoBuy: (a: unknown) => endiciaAutoBuy(a),
    },
  };
});

import { PostageAccounts } from "./PostageAccounts";

const NOTHING: EndiciaRemembered = {
  account_number: null,
  pass_phrase_remembered: false,
  logged_in: null,
  sandbox_demo: { account_number: "2500123", pass_phrase: "Shipdesk demo 2026", email: "demo@shipdesk.example", challenge_answer: "Rex" },
};

function account(balance: string): PostageAccount {
  return { account_number: "2500123", balance, printed: "0", status: "Active", remembered: true, pays_labels: false, auto_buy: null, open_purchase: null, purchases: [] };
}

function fieldError(field: string, message: string): AppError {
  return { code: "VALIDATION", message, details: { kind: "fields", fields: { [field]: message } } };
}

describe("Settings › Postage accounts › Endicia", () => {
  beforeEach(() => {
    cleanup();
    endiciaRemembered.mockReset().mockResolvedValue(NOTHING);
    endiciaLogin.mockReset().mockResolvedValue(account("100.00"));
    endiciaAccount.mockReset().mockResolvedValue(account("100.00"));
    endiciaBuy.mockReset();
    endiciaChangePassPhrase.mockReset();
    endiciaForget.mockReset().mockResolvedValue(undefined);
  });

  it("unticking Remember deletes the remembered login at once", async () => {
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true });
    render(<PostageAccounts />);
    const remember = (await screen.findByLabelText(/Remember account number and pass phrase/)) as HTMLInputElement;
    expect(remember.checked).toBe(true);
    expect((screen.getByLabelText("Pass phrase") as HTMLInputElement).placeholder).toContain("Remembered");
    fireEvent.click(remember);
    expect(endiciaForget).toHaveBeenCalledTimes(1);
    expect((await screen.findByTestId("endicia-forgotten")).textContent).toContain("deleted");
    expect((screen.getByLabelText("Pass phrase") as HTMLInputElement).placeholder).toBe("");
    expect((screen.getByRole("button", { name: "Login" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("logs in with the pass phrase hidden or shown, remembered on request", async () => {
    render(<PostageAccounts />);
    expect((await screen.findByTestId("endicia-sandbox-demo")).textContent).toContain("2500123");
    fireEvent.change(screen.getByLabelText("Account number"), { target: { value: "2500123" } });
    const pass = screen.getByLabelText("Pass phrase") as HTMLInputElement;
    expect(pass.type).toBe("password");
    fireEvent.click(screen.getByLabelText("Make pass phrase visible"));
    expect(pass.type).toBe("text");
    fireEvent.change(pass, { target: { value: "Shipdesk demo 2026" } });
    fireEvent.click(screen.getByLabelText(/Remember account number and pass phrase/));
    fireEvent.click(screen.getByRole("button", { name: "Login" }));
    await screen.findByTestId("postage-details");
    expect(endiciaLogin).toHaveBeenCalledWith({ account_number: "2500123", pass_phrase: "Shipdesk demo 2026", remember: true });
    expect(screen.getByText("Account postage balance").nextElementSibling?.textContent).toBe("$100.00");
  });

  it("buys postage and shows the new balance and the server's response; a refused amount stays beside its field", async () => {
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true, logged_in: "2500123" });
    render(<PostageAccounts />);
    await screen.findByTestId("postage-details");
    endiciaBuy.mockRejectedValueOnce(fieldError("amount", "The smallest postage purchase is $10.00."));
    fireEvent.change(screen.getByLabelText("Postage to add"), { target: { value: "5" } });
    fireEvent.click(screen.getByRole("button", { name: "Buy Postage" }));
    expect((await screen.findByTestId("amount-error")).textContent).toContain("$10.00");
    endiciaBuy.mockResolvedValueOnce({ purchase: { id: 1, state: "done" }, account: account("150.00"), message: "Endicia added $50 of postage. The balance is now $150.00." });
    fireEvent.change(screen.getByLabelText("Postage to add"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Buy Postage" }));
    expect((await screen.findByTestId("server-response")).textContent).toContain("$150.00");
    await waitFor(() => expect(screen.getByText("Account postage balance").nextElementSibling?.textContent).toBe("$150.00"));
    expect(endiciaBuy).toHaveBeenLastCalledWith("50");
  });

  it("pays for labels from the account once the box is ticked, and says so", async () => {
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true, logged_in: "2500123" });
    render(<PostageAccounts />);
    await screen.findByTestId("postage-details");
    const box = screen.getByLabelText("Pay for labels from this account") as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByText(/Labels are paid from your default USPS account/)).toBeTruthy();
    endiciaPayLabels.mockResolvedValueOnce({ ...account("100.00"), pays_labels: true });
    fireEvent.click(box);
    await waitFor(() => expect((screen.getByLabelText("Pay for labels from this account") as HTMLInputElement).checked).toBe(true));
    expect(endiciaPayLabels).toHaveBeenCalledWith(true);
    expect(screen.getByText(/paid from this balance/)).toBeTruthy();
  });

  it("buys postage automatically below a balance once saved, and shows a refused amount", async () => {
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true, logged_in: "2500123" });
    render(<PostageAccounts />);
    await screen.findByTestId("postage-details");
    fireEvent.click(screen.getByLabelText("Buy postage automatically"));
    fireEvent.change(screen.getByLabelText("When the balance is below"), { target: { value: "25" } });
    fireEvent.change(screen.getByLabelText("buy"), { target: { value: "5" } });
    endiciaAutoBuy.mockRejectedValueOnce(fieldError("auto_amount", "The smallest postage purchase is $10.00."));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("auto-buy-error")).textContent).toContain("$10.00");
    endiciaAutoBuy.mockResolvedValueOnce({ ...account("100.00"), auto_buy: { below: "25", amount: "50" } });
    fireEvent.change(screen.getByLabelText("buy"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("auto-buy-status")).textContent).toContain("$50.00");
    expect(endiciaAutoBuy).toHaveBeenLastCalledWith({ below: "25", amount: "50" });
  });

  it("shows Endicia's pass phrase rule beside the new pass phrase", async () => {
    render(<PostageAccounts />);
    await screen.findByTestId("endicia-login");
    fireEvent.click(screen.getByRole("button", { name: "Change Pass Phrase" }));
    endiciaChangePassPhrase.mockRejectedValue(fieldError("new_pass_phrase", "Choose a pass phrase you have not used for this account recently (not one of the last four)."));
    fireEvent.change(screen.getByLabelText("Account number"), { target: { value: "2500123" } });
    fireEvent.change(screen.getByLabelText("Current pass phrase"), { target: { value: "old one 1" } });
    fireEvent.change(screen.getByLabelText("New pass phrase"), { target: { value: "old one 0" } });
    fireEvent.change(screen.getByLabelText("New pass phrase again"), { target: { value: "old one 0" } });
    fireEvent.click(screen.getByRole("button", { name: "Change" }));
    const field = screen.getByLabelText("New pass phrase");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText(/not one of the last four\)\./).textContent).toContain("recently");
    expect(endiciaChangePassPhrase).toHaveBeenCalledWith({ account_number: "2500123", current_pass_phrase: "old one 1", new_pass_phrase: "old one 0" });
  });

  it("a login that stopped working (pass phrase changed elsewhere) goes back to Login with why", async () => {
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true, logged_in: "2500123" });
    render(<PostageAccounts />);
    await screen.findByTestId("postage-details");
    endiciaRemembered.mockResolvedValue({ ...NOTHING, account_number: "2500123", pass_phrase_remembered: true, logged_in: null });
    endiciaBuy.mockRejectedValueOnce({ code: "ENDICIA_LOGIN_REQUIRED", message: "Endicia does not accept this pass phrase. Check it and log in again." });
    fireEvent.change(screen.getByLabelText("Postage to add"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Buy Postage" }));
    expect((await screen.findByTestId("endicia-login-again")).textContent).toContain("does not accept this pass phrase");
    expect(screen.getByTestId("endicia-login")).toBeTruthy();
    expect((screen.getByLabelText("Account number") as HTMLInputElement).value).toBe("2500123");
  });

  it("unlocks a suspended account: the typed number carried over, the question, a new pass phrase, logged in", async () => {
    endiciaChallengeQuestion.mockResolvedValue("Name of your first pet?");
    endiciaUnlock.mockResolvedValue(account("100.00"));
    render(<PostageAccounts />);
    await screen.findByTestId("endicia-login");
    fireEvent.change(screen.getByLabelText("Account number"), { target: { value: "2500123" } });
    fireEvent.click(screen.getByRole("button", { name: "Account suspended? Unlock it" }));
    expect((screen.getByLabelText("Account number") as HTMLInputElement).value).toBe("2500123");
    expect(screen.getByTestId("endicia-sandbox-unlock").textContent).toContain("demo@shipdesk.example");
    fireEvent.change(screen.getByLabelText("E-mail on file"), { target: { value: "demo@shipdesk.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Get the challenge question" }));
    expect(await screen.findByText("Name of your first pet?")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Answer"), { target: { value: "Rex" } });
    fireEvent.change(screen.getByLabelText("New pass phrase"), { target: { value: "Unlocked again 1" } });
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await screen.findByTestId("postage-details");
    expect(endiciaUnlock).toHaveBeenCalledWith({ account_number: "2500123", challenge_answer: "Rex", new_pass_phrase: "Unlocked again 1" });
    expect(screen.getByTestId("endicia-notice").textContent).toContain("unlocked");
  });
});
