import { describe, expect, it } from "vitest";
import { toAppError } from "./index";

describe("toAppError", () => {
  it("keeps the contract's code and message", () => {
    expect(toAppError({ code: "NOT_FOUND", message: "No order #1" })).toEqual({ code: "NOT_FOUND", message: "No order #1" });
  });
  it("wraps a bare string as INTERNAL", () => {
    expect(toAppError("command doctor not allowed")).toEqual({ code: "INTERNAL", message: "command doctor not allowed" });
  });
});
