import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { flagSetting, integerSetting, optionalSetting, parseSettings, SettingsError, urlSetting } from "./settings.ts";

const schema = z.object({
  PORT: integerSetting(3000, 0, 65535),
  HOST: optionalSetting(),
  STRICT: flagSetting(),
  PUBLIC_URL: urlSetting(),
});

describe("settings", () => {
  test("unset and blank variables take their defaults", () => {
    expect(parseSettings(schema, {})).toEqual({ PORT: 3000, HOST: null, STRICT: false, PUBLIC_URL: null });
    expect(parseSettings(schema, { PORT: " ", HOST: "", STRICT: "", PUBLIC_URL: "  " })).toEqual({
      PORT: 3000,
      HOST: null,
      STRICT: false,
      PUBLIC_URL: null,
    });
  });

  test("values are trimmed and converted", () => {
    expect(
      parseSettings(schema, {
        PORT: " 8080 ",
        HOST: " ::1 ",
        STRICT: "Yes",
        PUBLIC_URL: "https://pbx.example.com/api/",
      }),
    ).toEqual({
      PORT: 8080,
      HOST: "::1",
      STRICT: true,
      PUBLIC_URL: "https://pbx.example.com/api",
    });
  });

  test("a bad value is one SettingsError naming the variable and what is valid", () => {
    expect(() => parseSettings(schema, { PORT: "80x" })).toThrow(
      new SettingsError("PORT must be an integer from 0 to 65535, got '80x'"),
    );
    expect(() => parseSettings(schema, { PORT: "70000" })).toThrow(
      "PORT must be an integer from 0 to 65535, got '70000'",
    );
    expect(() => parseSettings(schema, { STRICT: "maybe" })).toThrow("STRICT must be 1 or 0, got 'maybe'");
    expect(() => parseSettings(schema, { PUBLIC_URL: "pbx.example.com" })).toThrow(
      /PUBLIC_URL must be an absolute http\(s\) URL/,
    );
    expect(() => parseSettings(schema, { PUBLIC_URL: "ftp://pbx.example.com" })).toThrow(
      /PUBLIC_URL must be an http\(s\) URL/,
    );
    expect(() => parseSettings(schema, { PUBLIC_URL: "https://pbx.example.com/?x=1" })).toThrow(
      /without credentials, query or fragment/,
    );
  });

  test("an app's own error class is used when given", () => {
    class AppError extends Error {}
    expect(() => parseSettings(schema, { PORT: "-1" }, AppError)).toThrow(AppError);
  });
});
