import { describe, expect, test } from "bun:test";
import { parsePhoneNumber } from "./phone-number.ts";

describe("parsePhoneNumber", () => {
  test("reads numbers as people type them and Slack sends them", () => {
    expect(parsePhoneNumber("+1 (206) 555-0123")).toBe("+12065550123");
    expect(parsePhoneNumber("555-1234")).toBe("5551234");
    expect(parsePhoneNumber("555.1234")).toBe("5551234");
    expect(parsePhoneNumber("<tel:5551234|555-1234>")).toBe("5551234");
    expect(parsePhoneNumber("<tel:+12065550123>")).toBe("+12065550123");
    expect(parsePhoneNumber("\uff15\uff15\uff15\uff11\uff12\uff13\uff14")).toBe("5551234");
    expect(parsePhoneNumber("\uff0b44 20 7946 0000")).toBe("+442079460000");
    expect(parsePhoneNumber("*9664")).toBe("*9664");
    expect(parsePhoneNumber("101")).toBe("101");
  });
  test("refuses what is not a phone number, including dial-string injection", () => {
    for (const bad of [
      "",
      "abc",
      "555,origination_caller_id_number=666",
      "1+2",
      "${system(id)}",
      "12345678901234567890123456789012345",
      "<@U123>",
    ]) {
      expect(parsePhoneNumber(bad)).toBeNull();
    }
  });
});
