import { expect, test } from "bun:test";
import { isDroppedDatabaseSocket } from "./process-guard.ts";

test("only porsager's dropped-socket errors are survivable", () => {
  const dropped = new TypeError("null is not an object (evaluating 'socket.write')");
  dropped.stack = `${dropped.message}\n    at nextWrite (/app/node_modules/.bun/postgres@3.4.9/node_modules/postgres/src/connection.js:255:15)`;
  expect(isDroppedDatabaseSocket(dropped)).toBe(true);
  const bug = new TypeError("x is undefined");
  bug.stack = `${bug.message}\n    at handler (/app/apps/api/src/app.ts:10:3)`;
  expect(isDroppedDatabaseSocket(bug)).toBe(false);
  expect(isDroppedDatabaseSocket("postgres/src/connection.js")).toBe(false);
});
