import { describe, expect, test } from "bun:test";
import { JsonPathError, readPath } from "./index.ts";

// Every expectation below was checked against Jayway JsonPath 2.10 with SUPPRESS_EXCEPTIONS.
const doc = {
  a: { id: 1, c: { id: 2, x: { id: 4 } }, d: [{ id: 3 }, { id: 5, n: null }], s: "str" },
  items: [{ id: 1, a: 1, t: "X" }, { id: 2, a: 2, n: null, tags: ["p", "q"] }, { id: 3, a: 3, tag: "x", tags: ["q"] }, 5, "s", null],
  nums: [3, 1, 2],
  m: { k1: { v: 1 }, k2: { v: 2 }, k3: 7 },
  lim: 2,
};
const value = (path: string) => readPath(path, doc).value;

describe("definite and indefinite paths", () => {
  test("a definite path gives its value or null", () => {
    expect(readPath("a.c.id", doc)).toEqual({ value: 2, definite: true });
    expect(readPath("a.nope", doc)).toEqual({ value: null, definite: true });
    expect(value("items.id")).toBeNull(); // a property of a list
    expect(value("items[10]")).toBeNull();
  });

  test("an indefinite path gives the list of matches", () => {
    expect(readPath("items[*].tag", doc)).toEqual({ value: ["x"], definite: false });
    expect(value("items[*].n")).toEqual([null]); // present null counts, absent does not
    expect(value("items[0,10]")).toEqual([doc.items[0]]);
  });

  test("deep scan visits a node, then its children in order", () => {
    expect(value("a..id")).toEqual([1, 2, 4, 3, 5]);
    expect(value("a..*")).toEqual([1, doc.a.c, doc.a.d, "str", 2, { id: 4 }, 4, { id: 3 }, { id: 5, n: null }, 3, 5, null]);
    expect(value("$..[0]")).toEqual([{ id: 3 }, doc.items[0], "p", "q", 3]);
  });

  test("after a deep scan Jayway applies the token after an array token to every item", () => {
    // [0] is skipped: length() runs on every item of items and of each tags list
    expect(value("items..[0].length()")).toEqual([3, 4, 4, null, null, null, null, null, null]);
    expect(value("$..[1].id")).toEqual([5, 2]); // a final property keeps only item 1
    expect(value("$..[*].id")).toEqual([1, 2, 4]); // only ids found before the first list was walked
  });
});

describe("indexes and slices", () => {
  test("negative indexes count from the end", () => {
    expect(value("items[-2]")).toBe("s");
    expect(value("items[-10]")).toBeNull();
  });

  test("Jayway's slice rules", () => {
    expect(value("nums[-1:]")).toEqual([2]);
    expect(value("nums[:2]")).toEqual([3, 1]);
    expect(value("nums[:-1]")).toEqual([3, 1]);
    expect(value("nums[1:-1]")).toEqual([]);
    expect(value("nums[-2:2]")).toEqual([1, 2, 3, 1]);
    expect(value("nums[5:]")).toEqual([]);
  });
});

describe("properties", () => {
  test("bracket notation, quotes and escapes", () => {
    expect(value("a['id']")).toBe(1);
    expect(value('a["id"]')).toBe(1);
    expect(value("$['a']['c']['id']")).toBe(2);
    expect(value("['a'].id")).toBe(1);
  });

  test("several properties at the end merge into a map; in the middle they iterate", () => {
    expect(readPath("items[0]['id','a']", doc)).toEqual({ value: { id: 1, a: 1 }, definite: true });
    expect(value("items[0]['id','zz']")).toEqual({ id: 1 });
    expect(value("m['k1','k3'].v")).toEqual([1]);
  });
});

describe("filters", () => {
  const ids = (filter: string) => value(`items[?(${filter})].id`);

  test("comparisons", () => {
    expect(ids("@.a > 1")).toEqual([2, 3]);
    expect(ids("@.a <= 2 && @.a >= 2")).toEqual([2]);
    expect(ids("@.a == 1 || @.tag == 'x'")).toEqual([1, 3]);
    expect(ids("@.a > 1 && (@.id == 2 || @.id == 3)")).toEqual([2, 3]);
    expect(ids("!(@.a == 1)")).toEqual([2, 3]);
    expect(ids("@.a < $.lim")).toEqual([1]);
    expect(ids("@.t > 'A'")).toEqual([1]);
  });

  test("numbers equal strings with the same value, but do not order against them", () => {
    expect(ids("@.id == '2'")).toEqual([2]);
    expect(ids("@.a in ['1']")).toEqual([1]);
    expect(ids("@.a > '1'")).toEqual([]);
    expect(ids("@.a === '1'")).toEqual([]);
    expect(ids("@.id == 1.0")).toEqual([1]);
  });

  test("a missing property compares as null; existence is its own test", () => {
    expect(value("items[?(@.n == null)]")).toEqual(doc.items);
    expect(value("items[?(@.n)]")).toEqual([doc.items[1]]);
    expect(value("items[?(!@.n)]")).toEqual([doc.items[0], doc.items[2], 5, "s", null]);
  });

  test("list and string operators", () => {
    expect(ids("@.a nin [1,3]")).toEqual([2]);
    expect(ids("@.tags size 2")).toEqual([2]);
    expect(ids("@.tags empty false")).toEqual([2, 3]);
    expect(ids("@.tags anyof ['p']")).toEqual([2]);
    expect(ids("@.tags subsetof ['q','r']")).toEqual([3]);
    expect(ids("@.tags noneof ['p']")).toEqual([3]);
    expect(ids("@.tags contains 'p'")).toEqual([2]);
    expect(ids("@.tags == ['q']")).toEqual([3]);
    expect(ids("@.tags.length() == 2")).toEqual([2]);
  });

  test("=~ must match the whole text", () => {
    expect(ids("@.t =~ /x/i")).toEqual([1]);
    expect(ids("@.tag =~ /.*/")).toEqual([1, 2, 3]); // an absent value matches as ""
    expect(value("items[?(@ =~ /s/)]")).toEqual(["s"]);
    expect(ids("@.t =~ /X.+/")).toEqual([]);
  });

  test("a filter on a map tests the map itself", () => {
    expect(value("m.k1[?(@.v == 1)].v")).toEqual([1]);
    expect(value("m[?(@.v > 1)]")).toEqual([]);
    expect(value("m..[?(@.v)]")).toEqual([{ v: 1 }, { v: 2 }]);
  });

  test("a filter on a primitive reached by a definite path is an error", () => {
    expect(() => readPath("a.s[?(@ == 1)]", doc)).toThrow(JsonPathError);
  });
});

describe("functions", () => {
  test("length, aggregations and sequence functions", () => {
    expect(value("items.length()")).toBe(6);
    expect(value("m.length()")).toBe(3);
    expect(value("a.s.length()")).toBeNull();
    expect(value("nums.sum()")).toBe(6);
    expect(value("nums.min()")).toBe(1);
    expect(value("nums.avg()")).toBe(2);
    expect(value("nums.sum(10)")).toBe(16);
    expect(value("nums.first()")).toBe(3);
    expect(value("nums.last()")).toBe(2);
    expect(value("nums.index(-1)")).toBe(2);
    expect(value("m.keys()")).toEqual(["k1", "k2", "k3"]);
  });

  test("a function runs on each match of an indefinite path", () => {
    expect(value("items[*].tags.length()")).toEqual([2, 1]);
  });

  test("function errors", () => {
    expect(() => readPath("items[*].id.sum()", doc)).toThrow(JsonPathError);
    expect(() => readPath("nums[0:1].last()", doc)).toThrow(JsonPathError); // Jayway refuses last() of one item
    expect(() => readPath("nums.nope()", doc)).toThrow(JsonPathError);
    expect(() => readPath("nums.index(5)", doc)).toThrow(JsonPathError);
  });

  test("running off the end of a list inside an indexed branch drops the branch (Java's IndexOutOfBoundsException)", () => {
    expect(value("items[*].tags.index(1)")).toEqual(["q"]);
    expect(value("items[?(@.tags)].tags.first()")).toEqual(["p", "q"]);
  });
});

describe("syntax", () => {
  test.each(["a.", "a..", "..id", " a.id", "a.b c", "nums[1.5]", "items[?(true)]", "items[?(@.a == 1) && (@.id == 1)]", "a['x'"])(
    "%j is invalid",
    (path) => expect(() => readPath(path, doc)).toThrow(JsonPathError),
  );

  test("roots", () => {
    expect(value("$.a.id")).toBe(1);
    expect(value("@.a.id")).toBe(1);
    expect(value("$")).toBe(doc);
  });

  test("spaces inside brackets and filters", () => {
    expect(value("nums[ 1 ]")).toBe(1);
    expect(value("nums[0, 1]")).toEqual([3, 1]);
    expect(value("a[ 'id' ]")).toBe(1);
    expect(value("items[ ?( @.a>1 ) ].id")).toEqual([2, 3]);
  });
});
