import { expect, test } from "bun:test";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { capture, unwrap } from "./rpc-result.ts";

test("a typed error survives the trip as the same kind, message and details", async () => {
  const notFound = await capture(async () => {
    throw new NotFound("no such workflow");
  });
  expect(() => unwrap(notFound)).toThrow(NotFound);
  const invalid = await capture(async () => {
    throw new InvalidInput("bad", [{ path: "status", message: "wrong" }]);
  });
  try {
    unwrap(invalid);
    throw new Error("expected a throw");
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as InvalidInput).validationErrors).toEqual([{ path: "status", message: "wrong" }]);
  }
  expect(() => unwrap({ error: { kind: "conflict", message: "c" } })).toThrow(Conflict);
});

test("a value passes through and an unexpected error is not swallowed", async () => {
  expect(unwrap(await capture(async () => 42))).toBe(42);
  await expect(capture(async () => { throw new TypeError("bug"); })).rejects.toThrow(TypeError);
});
