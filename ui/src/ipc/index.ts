// The UI's one door to the core. Each area keeps its calls in its own module; this file joins
// them so components (and tests, which mock this module) see one `ipc` and one `events`.
import { call } from "./core";
import { ordersIpc, ordersEvents } from "./orders";
import { carriersIpc, carriersEvents } from "./carriers";
import { shippingIpc, shippingEvents } from "./shipping";
import { postageIpc } from "./postage";
import { reportsIpc } from "./reports";
import type { AppError } from "../bindings/AppError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorDetails } from "../bindings/ErrorDetails";
import type { DoctorReport } from "../bindings/DoctorReport";

export { toAppError, isAppError } from "./core";
export type { AppError, ErrorCode, ErrorDetails, DoctorReport };
export type * from "./orders";
export type * from "./carriers";
export type * from "./shipping";
export type * from "./postage";
export type * from "./reports";

const appIpc = {
  /** Tells the core the first screen is interactive; answers ms since process start. */
  appReady: () => call<number>("app_ready"),
  doctor: () => call<DoctorReport>("doctor"),
};

export const ipc = { ...appIpc, ...ordersIpc, ...carriersIpc, ...shippingIpc, ...postageIpc, ...reportsIpc };

export const events = { ...ordersEvents, ...carriersEvents, ...shippingEvents };
