// Postage accounts (Endicia): typed calls over the `postage_endicia_*` commands. The pass
// phrase only ever goes in: a remembered one is used by leaving the field empty.
import { call } from "./core";
import type { EndiciaLogin } from "../bindings/EndiciaLogin";
import type { EndiciaPassPhraseChange } from "../bindings/EndiciaPassPhraseChange";
import type { EndiciaRemembered } from "../bindings/EndiciaRemembered";
import type { EndiciaSandboxDemo } from "../bindings/EndiciaSandboxDemo";
import type { EndiciaUnlock } from "../bindings/EndiciaUnlock";
import type { PostageAccount } from "../bindings/PostageAccount";
import type { PostageAutoBuy } from "../bindings/PostageAutoBuy";
import type { PostageAutoBuyInput } from "../bindings/PostageAutoBuyInput";
import type { PostagePurchase } from "../bindings/PostagePurchase";
import type { PostagePurchaseOutcome } from "../bindings/PostagePurchaseOutcome";
import type { RecreditState } from "../bindings/RecreditState";

export type {
  EndiciaLogin,
  EndiciaPassPhraseChange,
  EndiciaRemembered,
  EndiciaSandboxDemo,
  EndiciaUnlock,
  PostageAccount,
  PostageAutoBuy,
  PostageAutoBuyInput,
  PostagePurchase,
  PostagePurchaseOutcome,
  RecreditState,
};

export const postageIpc = {
  endiciaRemembered: () => call<EndiciaRemembered>("postage_endicia_remembered"),
  endiciaLogin: (login: EndiciaLogin) => call<PostageAccount>("postage_endicia_login", { login }),
  endiciaLogout: () => call<void>("postage_endicia_logout"),
  /** Deletes the remembered account number and pass phrase from the OS keyring. */
  endiciaForget: () => call<void>("postage_endicia_forget"),
  endiciaAccount: () => call<PostageAccount>("postage_endicia_account"),
  /** Buys postage once (journaled before it is sent); `amount` as typed ("50", "$1,000"). */
  /** "Remind Me Later" on the Endicia log-in prompt; core emits the new snapshot. */
  endiciaRemindLater: () => call<string | null>("postage_endicia_remind_later"),
  /** "Buy postage automatically" on (the two amounts as typed) or off (`null`). */
  endiciaAutoBuy: (auto: PostageAutoBuyInput | null) => call<PostageAccount>("postage_endicia_auto_buy", { auto }),
  endiciaPayLabels: (pays: boolean) => call<PostageAccount>("postage_endicia_pay_labels", { pays }),
  endiciaBuy: (amount: string) => call<PostagePurchaseOutcome>("postage_endicia_buy", { amount }),
  endiciaCheckPurchase: (id: number) => call<PostagePurchase>("postage_endicia_check_purchase", { id }),
  endiciaChangePassPhrase: (change: EndiciaPassPhraseChange) => call<void>("postage_endicia_change_pass_phrase", { change }),
  endiciaChallengeQuestion: (accountNumber: string, email: string) =>
    call<string>("postage_endicia_challenge_question", { accountNumber, email }),
  endiciaUnlock: (unlock: EndiciaUnlock) => call<PostageAccount>("postage_endicia_unlock", { unlock }),
};
