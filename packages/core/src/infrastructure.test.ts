import { expect, test } from "bun:test";
import { outageError } from "./infrastructure.ts";

const pgError = (code: string, severity = "ERROR") => Object.assign(new Error(code), { code, severity });

test("connection failures and ended sessions are outages (503); an error in a statement is not", () => {
  for (const error of [
    Object.assign(new Error("refused"), { code: "ECONNREFUSED" }),
    pgError("57P01", "FATAL"),
    pgError("53300", "FATAL"),
    pgError("08006"),
    pgError("55000", "FATAL"),
  ])
    expect(outageError(error)?.code).toBe("SERVICE_UNAVAILABLE");
  for (const error of [pgError("23505"), pgError("22P02"), pgError("55000"), new Error("boom")])
    expect(outageError(error)).toBeUndefined();
});
