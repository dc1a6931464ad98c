import { describe, expect, test } from "bun:test";
import { javaNumber, javaString, jsonSmartString } from "./java-string.ts";

describe("javaNumber", () => {
  test.each([
    [2, "2"],
    [12345678901, "12345678901"],
    [-0, "0"],
    [2.5, "2.5"],
    [0.001, "0.001"],
    [1234567.5, "1234567.5"],
    [0.0001, "1.0E-4"],
    [1.5e-7, "1.5E-7"],
    [12345678.5, "1.23456785E7"],
    [0.8164965809277263, "0.8164965809277263"],
  ])("%p prints as %p", (n, text) => expect(javaNumber(n)).toBe(text));

  test("integral values print without a decimal point, unlike Java's Double", () => {
    expect(javaNumber(1.0)).toBe("1"); // Conductor: "1.0" when the JSON said 1.0
    expect(javaNumber(1e21)).toBe("1000000000000000000000");
  });
});

describe("javaString", () => {
  test("maps, lists and scalars as Java's toString", () => {
    expect(javaString({ a: "b", c: 2, d: null, e: [1, "two", { k: "v" }, [3]] })).toBe("{a=b, c=2, d=null, e=[1, two, {k=v}, [3]]}");
    expect(javaString(null)).toBe("null");
    expect(javaString(true)).toBe("true");
    expect(javaString('a"b\\c')).toBe('a"b\\c');
    expect(javaString([])).toBe("[]");
    expect(javaString({})).toBe("{}");
  });
});

describe("jsonSmartString", () => {
  test("compact JSON", () => {
    expect(jsonSmartString([1, "two", { k: [1, { x: "y" }] }, null, false, 1.5e-7])).toBe('[1,"two",{"k":[1,{"x":"y"}]},null,false,1.5E-7]');
  });

  test("json-smart escapes /, controls, C1 controls and U+2000..U+20FF", () => {
    expect(jsonSmartString(["http://x/y"])).toBe('["http:\\/\\/x\\/y"]');
    expect(jsonSmartString(['a"b\\c'])).toBe('["a\\"b\\\\c"]');
    expect(jsonSmartString(["l1\nl2\t\u0001"])).toBe('["l1\\nl2\\t\\u0001"]');
    expect(jsonSmartString(["é€\u2028\u0085 😀"])).toBe('["é\\u20AC\\u2028\\u0085 😀"]');
  });
});
