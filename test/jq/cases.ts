/**
 * jq programs with what jq (1.7 and later) outputs for them: the table that test/jq/jq.test.ts runs
 * on Bun and test/jq/workerd.test.ts runs in workerd. The programs and inputs are written for
 * Baton — workflow-shaped data, Conductor-style transforms — and the expected outputs are jq's
 * behaviour. What Baton's jq (jqjs) still gets wrong is not here but in KNOWN_GAPS in jq.test.ts.
 */

export interface Case {
  /** What the case shows (defaults to the query). */
  name?: string;
  query: string;
  input: unknown;
  /** Every output, in order. */
  outputs: unknown[];
}

export interface ErrorCase {
  name: string;
  query: string;
  input: unknown;
  kind: "compile" | "runtime" | "limit" | "input";
  /** The whole message, or a pattern for it. */
  message: string | RegExp;
}

const order = {
  id: "ord-1042",
  status: "PAID",
  customer: { name: "Ada Byron", email: "ada@example.com", address: { city: "Lyon", zip: "69002" } },
  items: [
    { sku: "A-1", qty: 2, price: 9.5 },
    { sku: "B-7", qty: 1, price: 20 },
    { sku: "C-3", qty: 0, price: 4 },
  ],
  headers: { "content-type": "application/json", "x-retry": "2" },
};

const tasks = [
  { taskId: "t1", type: "HTTP", status: "COMPLETED", retries: 0, team: "core", ms: 120 },
  { taskId: "t2", type: "SIMPLE", status: "FAILED", retries: 2, team: "edge", ms: 15 },
  { taskId: "t3", type: "HTTP", status: "FAILED", retries: 1, team: "core", ms: 480 },
  { taskId: "t4", type: "INLINE", status: "COMPLETED", retries: 0, team: "edge", ms: 3 },
];

export const cases: Case[] = [
  // Paths
  { query: ".id", input: order, outputs: ["ord-1042"] },
  { query: ".missing", input: order, outputs: [null] },
  { query: ".customer.address.city", input: order, outputs: ["Lyon"] },
  { name: "a path through a missing object is null", query: ".customer.phone.mobile", input: order, outputs: [null] },
  { query: '.headers["content-type"]', input: order, outputs: ["application/json"] },
  { query: '.headers."x-retry"', input: order, outputs: ["2"] },
  { query: ".items[1].sku", input: order, outputs: ["B-7"] },
  { query: ".items[-1].sku", input: order, outputs: ["C-3"] },
  { query: ".items[7]", input: order, outputs: [null] },
  { name: "any path on null is null", query: ".a.b[0].c", input: null, outputs: [null] },
  { query: ".[.key]", input: { key: "k", k: "v" }, outputs: ["v"] },

  // Optional paths
  { name: ".id? on a string outputs nothing", query: ".id?", input: "not an object", outputs: [] },
  { query: "[.[] | .id?]", input: [1, { id: 7 }, "x", { name: "n" }], outputs: [[7, null]] },
  { query: ".tags[]?", input: { tags: 3 }, outputs: [] },
  { query: "[.[]?]", input: 5, outputs: [[]] },
  { query: "[.. | .id?]", input: { id: 1, sub: [{ id: 2 }] }, outputs: [[1, 2]] },
  { query: '[.[] | .["n"]?]', input: [{ n: 1 }, [2], { n: 3 }], outputs: [[1, 3]] },

  // Iteration
  { query: ".[]", input: [1, "two", null], outputs: [1, "two", null] },
  { query: ".[]", input: { x: 1, y: [2] }, outputs: [1, [2]] },
  { query: ".[]", input: [], outputs: [] },
  { query: "[.items[].qty]", input: order, outputs: [[2, 1, 0]] },
  { query: ".items[] | .sku", input: order, outputs: ["A-1", "B-7", "C-3"] },
  { query: ".a, .b", input: { a: 1, b: 2 }, outputs: [1, 2] },

  // Slices
  { query: ".[1:3]", input: ["a", "b", "c", "d"], outputs: [["b", "c"]] },
  { query: ".[2:]", input: ["a", "b", "c", "d"], outputs: [["c", "d"]] },
  { query: ".[:1]", input: ["a", "b", "c", "d"], outputs: [["a"]] },
  { query: ".[-2:]", input: ["a", "b", "c", "d"], outputs: [["c", "d"]] },
  { query: ".[:-1]", input: ["a", "b", "c", "d"], outputs: [["a", "b", "c"]] },
  { query: ".[5:9]", input: ["a", "b"], outputs: [[]] },
  { query: ".[1:3]", input: "workflow", outputs: ["or"] },
  { query: ".[3:]", input: "workflow", outputs: ["kflow"] },
  { name: "a slice after a path", query: ".items[1:] | map(.sku)", input: order, outputs: [["B-7", "C-3"]] },
  { query: ".items[:2] | length", input: order, outputs: [2] },
  { query: ".[1:]", input: null, outputs: [null] },

  // map, select
  { query: "map(.qty * .price)", input: order.items, outputs: [[19, 20, 0]] },
  { query: '[.[] | select(.status == "FAILED") | .taskId]', input: tasks, outputs: [["t2", "t3"]] },
  { query: "map(select(.retries > 0) | .taskId)", input: tasks, outputs: [["t2", "t3"]] },
  { query: '[.[] | select(type == "number")]', input: [1, "1", null, 2.5], outputs: [[1, 2.5]] },
  { query: 'map(has("err"))', input: [{ err: null }, {}], outputs: [[true, false]] },
  { query: "map(select(.qty > 0)) | length", input: order.items, outputs: [2] },
  { query: "map_values(. * 2)", input: { a: 1, b: 5 }, outputs: [{ a: 2, b: 10 }] },

  // reduce, foreach
  { query: "reduce .items[] as $i (0; . + $i.qty)", input: order, outputs: [3] },
  { query: "reduce .[] as $w ({}; .[$w] += 1)", input: ["get", "put", "get"], outputs: [{ get: 2, put: 1 }] },
  { query: "reduce range(1; 6) as $n (1; . * $n)", input: null, outputs: [120] },
  { query: "reduce .[] as $x (null; . + $x)", input: [], outputs: [null] },
  { query: "[foreach .[] as $x (0; . + $x)]", input: [3, 4, 5], outputs: [[3, 7, 12]] },
  { query: "[foreach .[] as $x (0; . + $x; [$x, .])]", input: [3, 4], outputs: [[[3, 3], [4, 7]]] },

  // Entries
  { query: "to_entries", input: { b: 2, a: 1 }, outputs: [[{ key: "b", value: 2 }, { key: "a", value: 1 }]] },
  { query: "from_entries", input: [{ key: "x", value: 1 }, { key: "y", value: null }], outputs: [{ x: 1, y: null }] },
  { query: "with_entries(select(.value != null))", input: { a: 1, b: null, c: false }, outputs: [{ a: 1, c: false }] },
  { query: "with_entries(.key |= ascii_upcase)", input: { id: 1, name: "n" }, outputs: [{ ID: 1, NAME: "n" }] },
  { query: "with_entries(.value += 1)", input: { a: 1, b: 2 }, outputs: [{ a: 2, b: 3 }] },
  { query: 'to_entries | map("\\(.key)=\\(.value)") | join("&")', input: { page: 2, q: "jq" }, outputs: ["page=2&q=jq"] },

  // group_by, sort_by, unique, min/max
  { query: "group_by(.type) | map({type: .[0].type, n: length})", input: tasks, outputs: [[{ type: "HTTP", n: 2 }, { type: "INLINE", n: 1 }, { type: "SIMPLE", n: 1 }]] },
  { query: "sort_by(.ms) | map(.taskId)", input: tasks, outputs: [["t4", "t2", "t1", "t3"]] },
  { name: "sort_by with two keys", query: "sort_by(.team, .ms) | map(.taskId)", input: tasks, outputs: [["t1", "t3", "t4", "t2"]] },
  { query: "sort_by(.n)", input: [{ n: 2, i: 1 }, { n: 1, i: 2 }, { n: 2, i: 3 }], outputs: [[{ n: 1, i: 2 }, { n: 2, i: 1 }, { n: 2, i: 3 }]] },
  { query: "unique", input: [3, 1, 2, 3, 1], outputs: [[1, 2, 3]] },
  { query: "unique_by(.team) | map(.taskId)", input: tasks, outputs: [["t1", "t2"]] },
  { query: "sort", input: [{ a: 1 }, [2], "s", 3, true, false, null], outputs: [[null, false, true, 3, "s", [2], { a: 1 }]] },
  { query: "min_by(.ms).taskId, max_by(.ms).taskId", input: tasks, outputs: ["t4", "t3"] },
  { query: "min, max", input: [5, 2, 9], outputs: [2, 9] },
  { query: "group_by(. % 3)", input: [1, 2, 3, 4, 5, 6], outputs: [[[3, 6], [1, 4], [2, 5]]] },

  // keys, length, has
  { query: "keys", input: { zeta: 1, alpha: 2 }, outputs: [["alpha", "zeta"]] },
  { query: "keys", input: ["x", "y"], outputs: [[0, 1]] },
  { query: "keys_unsorted", input: { zeta: 1, alpha: 2 }, outputs: [["zeta", "alpha"]] },
  { query: "[.[] | length]", input: [[1, 2, 3], "héllo", { a: 1, b: 2 }, null, -7.5], outputs: [[3, 5, 2, 0, 7.5]] },
  { name: "length counts codepoints", query: "length", input: "😀x", outputs: [2] },
  { query: "utf8bytelength", input: "é😀", outputs: [6] },
  { query: 'has("id"), has("nope")', input: { id: null }, outputs: [true, false] },
  { query: "has(1)", input: [0, 1], outputs: [true] },
  { query: 'map(in({"a": 1}))', input: ["a", "b"], outputs: [[true, false]] },

  // String interpolation
  { query: '"Order \\(.id) for \\(.customer.name): \\(.items | length) items"', input: order, outputs: ["Order ord-1042 for Ada Byron: 3 items"] },
  { query: '"list: \\(.l), obj: \\(.o), none: \\(.n)"', input: { l: [1, "a"], o: { k: true }, n: null }, outputs: ['list: [1,"a"], obj: {"k":true}, none: null'] },
  { query: '"\\(.a)-\\(.b)"', input: { a: 1, b: 2 }, outputs: ["1-2"] },
  { query: '@base64 "auth=\\(.u)"', input: { u: "x:y" }, outputs: ["auth=eDp5"] },

  // @base64, @base64d and other formats
  { query: "@base64", input: "user:pässword", outputs: ["dXNlcjpww6Rzc3dvcmQ="] },
  { query: "@base64d", input: "dXNlcjpww6Rzc3dvcmQ=", outputs: ["user:pässword"] },
  { query: "@base64", input: { a: 1 }, outputs: ["eyJhIjoxfQ=="] },
  { query: "@base64d", input: "aGk", outputs: ["hi"] },
  { query: "@base64 | @base64d", input: "emoji 😀 ok", outputs: ["emoji 😀 ok"] },
  { query: "@csv", input: [1, "a,b", null, 'say "hi"'], outputs: ['1,"a,b",,"say ""hi"""'] },
  { query: "@uri", input: "a b&c=d/é", outputs: ["a%20b%26c%3Dd%2F%C3%A9"] },
  { query: "@html", input: '<a href="x">&</a>', outputs: ["&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"] },
  { query: "@sh", input: "it's", outputs: ["'it'\\''s'"] },
  { query: "@sh", input: ["a b", 1], outputs: ["'a b' 1"] },
  { query: "@json", input: { a: [1, "x"] }, outputs: ['{"a":[1,"x"]}'] },
  { query: "@text", input: [1, null], outputs: ["[1,null]"] },

  // split, join and other strings
  { query: 'split(",")', input: "a,b,,c", outputs: [["a", "b", "", "c"]] },
  { query: 'split(", ")', input: "x, y, z", outputs: [["x", "y", "z"]] },
  { query: 'join("/")', input: ["usr", "local", "bin"], outputs: ["usr/local/bin"] },
  { query: 'join(", ")', input: ["a", 1, null, true], outputs: ["a, 1, , true"] },
  { query: '. / ","', input: "1,2", outputs: [["1", "2"]] },
  { query: "ascii_downcase, ascii_upcase", input: "Mixed Case", outputs: ["mixed case", "MIXED CASE"] },
  { query: 'ltrimstr("v"), rtrimstr(".0")', input: "v1.0", outputs: ["1.0", "v1"] },
  { query: '[.[] | ltrimstr("x")]', input: ["xa", "b", 1], outputs: [["a", "b", 1]] },
  { query: 'startswith("ord-"), endswith("42")', input: "ord-1042", outputs: [true, true] },
  { query: 'test("^ord-\\\\d+$")', input: "ord-1042", outputs: [true] },
  { query: 'test("fail"; "i")', input: "FAILED", outputs: [true] },
  { query: '[match("\\\\d+"; "g").string]', input: "a1b22c333", outputs: [["1", "22", "333"]] },
  { query: 'capture("(?<y>\\\\d{4})-(?<m>\\\\d{2})")', input: "2024-05-17", outputs: [{ y: "2024", m: "05" }] },
  { query: '[scan("[a-z]+")]', input: "ab 12 cd", outputs: [["ab", "cd"]] },
  { query: 'sub("-"; "_"), gsub("-"; "_")', input: "a-b-c", outputs: ["a_b-c", "a_b_c"] },
  { query: 'gsub("\\\\s+"; " ")', input: "a  b\t\tc", outputs: ["a b c"] },
  { query: 'index(","), rindex(","), indices(",")', input: "a,b,c", outputs: [1, 3, [1, 3]] },
  { query: 'contains("bar"), contains("baz")', input: "foobar", outputs: [true, false] },
  { query: "contains({a: [1]})", input: { a: [1, 2], b: 3 }, outputs: [true] },
  { query: "explode | implode", input: "abc", outputs: ["abc"] },
  { query: "tojson", input: { "q\"k": [1, "b"] }, outputs: ['{"q\\"k":[1,"b"]}'] },
  { query: "fromjson | .a[1]", input: '{"a":[1,2]}', outputs: [2] },

  // if-then-else
  { query: 'if .status == "COMPLETED" then "ok" elif .status == "FAILED" then "retry" else "wait" end', input: tasks[1], outputs: ["retry"] },
  { query: 'if .status == "COMPLETED" then "ok" elif .status == "FAILED" then "retry" else "wait" end', input: { status: "RUNNING" }, outputs: ["wait"] },
  { name: "only false and null are false", query: '[.[] | if . then "yes" else "no" end]', input: [0, "", [], {}, null, false, true], outputs: [["yes", "yes", "yes", "yes", "no", "no", "yes"]] },
  { query: "[.[] | not]", input: [0, null, false, "x"], outputs: [[false, true, true, false]] },
  { query: '[.[] | (. and true), (. or false)]', input: [0, null], outputs: [[true, true, false, false]] },
  { query: 'if .n > 1 then "many" else "few" end', input: { n: 3 }, outputs: ["many"] },
  { query: "[.[] | if . > 2 then . * 10 else . end]", input: [1, 3], outputs: [[1, 30]] },
  { name: "false and … does not evaluate its right side", query: 'false and error("x")', input: null, outputs: [false] },

  // Alternative //
  { query: ".nickname // .customer.name", input: order, outputs: ["Ada Byron"] },
  { name: "0 is not false", query: ".count // 5", input: { count: 0 }, outputs: [0] },
  { query: '.flag // "default"', input: { flag: false }, outputs: ["default"] },
  { query: '.flag // "default"', input: {}, outputs: ["default"] },
  { query: '[.[] | .v // "none"]', input: [{ v: 1 }, {}, { v: null }], outputs: [[1, "none", "none"]] },
  { query: '(.a, .b, .c) // "x"', input: { a: null, b: 1, c: 2 }, outputs: [1, 2] },
  { query: "empty // 5", input: null, outputs: [5] },

  // del
  { query: "del(.headers)", input: { id: 1, headers: {} }, outputs: [{ id: 1 }] },
  { query: "del(.items[0]) | .items | map(.sku)", input: order, outputs: [["B-7", "C-3"]] },
  { query: "del(.[1, 3])", input: ["a", "b", "c", "d", "e"], outputs: [["a", "c", "e"]] },
  { query: "del(.a, .b)", input: { a: 1, b: 2, c: 3 }, outputs: [{ c: 3 }] },
  { query: "del(.[] | select(. < 0))", input: [1, -2, 3, -4], outputs: [[1, 3]] },
  { query: "del(.meta.internal)", input: { meta: { internal: true, v: 1 } }, outputs: [{ meta: { v: 1 } }] },
  { query: "del(.missing)", input: { a: 1 }, outputs: [{ a: 1 }] },
  { query: "del(.[1:])", input: [1, 2, 3], outputs: [[1]] },
  { query: 'delpaths([["a", "b"], ["c"]])', input: { a: { b: 1, x: 2 }, c: 3 }, outputs: [{ a: { x: 2 } }] },

  // paths, .. and path expressions
  { query: "[paths]", input: { a: { b: 1 }, c: [2] }, outputs: [[["a"], ["a", "b"], ["c"], ["c", 0]]] },
  { query: '[paths(type == "number")]', input: { a: { b: 1 }, c: [2] }, outputs: [[["a", "b"], ["c", 0]]] },
  { query: "path(.a[0].b)", input: null, outputs: [["a", 0, "b"]] },
  { query: "[path(..)]", input: { a: [1] }, outputs: [[[], ["a"], ["a", 0]]] },
  { query: '[getpath(["a", "b"], ["x", "y"])]', input: { a: { b: 1 } }, outputs: [[1, null]] },
  { query: 'setpath(["a", "c"]; 5)', input: { a: { b: 1 } }, outputs: [{ a: { b: 1, c: 5 } }] },
  { query: 'setpath(["list", 2]; "x")', input: {}, outputs: [{ list: [null, null, "x"] }] },
  { query: "[..]", input: { a: [1] }, outputs: [[{ a: [1] }, [1], 1]] },
  { query: "[.. | numbers]", input: [1, [2, { c: 3 }], "4"], outputs: [[1, 2, 3]] },
  { query: '[.. | select(type == "string")]', input: { a: "x", b: ["y", { c: "z" }] }, outputs: [["x", "y", "z"]] },
  { query: '.. |= (if type == "number" then . + 1 else . end)', input: [1, [2]], outputs: [[2, [3]]] },
  { name: "pick (jq 1.7+)", query: "pick(.a, .c.d)", input: { a: 1, b: 2, c: { d: 3, e: 4 } }, outputs: [{ a: 1, c: { d: 3 } }] },

  // Assignment
  { query: '.status = "DONE"', input: { status: "NEW", n: 1 }, outputs: [{ status: "DONE", n: 1 }] },
  { query: ".a.b.c = 1", input: {}, outputs: [{ a: { b: { c: 1 } } }] },
  { query: ".a.b |= 5", input: {}, outputs: [{ a: { b: 5 } }] },
  { query: ".count += 1, .tags += [\"new\"]", input: { count: 1, tags: ["a"] }, outputs: [{ count: 2, tags: ["a"] }, { count: 1, tags: ["a", "new"] }] },
  { query: ".items[] |= .qty", input: { items: [{ qty: 1 }, { qty: 2 }] }, outputs: [{ items: [1, 2] }] },
  { query: ".[] |= . * 10", input: [1, 2], outputs: [[10, 20]] },
  { query: ".items |= map(select(.qty > 0)) | .items | length", input: order, outputs: [2] },
  { query: ".a |= (. // 0) + 1", input: {}, outputs: [{ a: 1 }] },
  { query: ".[1:] = [\"x\"]", input: [0, 1, 2], outputs: [[0, "x"]] },
  { query: '.a = .b', input: { a: 1, b: [2] }, outputs: [{ a: [2], b: [2] }] },
  { query: '(.a, .b) = 0', input: { a: 1 }, outputs: [{ a: 0, b: 0 }] },

  // tostring, tonumber, tojson
  { query: "[.[] | tostring]", input: [1, "1", [1], { a: 1 }, null, true], outputs: [["1", "1", "[1]", '{"a":1}', "null", "true"]] },
  { query: "[.[] | tonumber]", input: ["42", "-3.5", 7, "1e3"], outputs: [[42, -3.5, 7, 1000]] },
  { query: "map(tonumber) | add", input: ["1", "2", "3"], outputs: [6] },
  { query: "[.[] | tonumber?]", input: ["1", "x", "3"], outputs: [[1, 3]] },
  { query: ".count | tostring", input: { count: 12 }, outputs: ["12"] },

  // add, arithmetic
  { query: "add", input: [1, 2, 3], outputs: [6] },
  { query: "add", input: ["a", "b"], outputs: ["ab"] },
  { query: "add", input: [[1], [2, 3]], outputs: [[1, 2, 3]] },
  { query: "add", input: [{ a: 1 }, { b: 2 }, { a: 3 }], outputs: [{ a: 3, b: 2 }] },
  { query: "add", input: [], outputs: [null] },
  { query: "map(.price) | add / length", input: order.items, outputs: [11.166666666666666] },
  { query: ".a + .b, .a - .b, .a * .b, .a / .b, .a % .b", input: { a: 7, b: 2 }, outputs: [9, 5, 14, 3.5, 1] },
  { query: ". - [2]", input: [1, 2, 3, 2], outputs: [[1, 3]] },
  { query: '{"k": {"a": 1, "b": 2}} * {"k": {"a": 0, "c": 3}}', input: null, outputs: [{ k: { a: 0, b: 2, c: 3 } }] },
  { name: "deep merge leaves its operand alone", query: '. as $x | ($x * {"a": {"c": 2}}) | $x', input: { a: { b: 1 } }, outputs: [{ a: { b: 1 } }] },
  { query: ".a + null, null + .a", input: { a: 1 }, outputs: [1, 1] },
  { query: "0.1 + 0.2", input: null, outputs: [0.30000000000000004] },
  { query: "[.[] | floor], (.[0] | sqrt)", input: [4, 2.5], outputs: [[4, 2], 2] },

  // range, limit, first
  { query: "[range(4)]", input: null, outputs: [[0, 1, 2, 3]] },
  { query: "[range(2; 6)]", input: null, outputs: [[2, 3, 4, 5]] },
  { query: "[range(0; 10; 3)]", input: null, outputs: [[0, 3, 6, 9]] },
  { query: "[range(3; 0; -1)]", input: null, outputs: [[3, 2, 1]] },
  { query: "[range(0)]", input: null, outputs: [[]] },
  { query: "[range(.n)]", input: { n: 3 }, outputs: [[0, 1, 2]] },
  { query: "[limit(2; .[])]", input: [5, 6, 7], outputs: [[5, 6]] },
  { name: "limit(0) outputs nothing (jq 1.7+)", query: "[limit(0; .[])]", input: [5, 6, 7], outputs: [[]] },
  { name: "limit stops a long range early", query: "[limit(3; range(1000000000))]", input: null, outputs: [[0, 1, 2]] },
  { query: "first, last, nth(1)", input: [7, 8, 9], outputs: [7, 9, 8] },
  { query: "first(.[] | select(. > 7))", input: [7, 8, 9], outputs: [8] },
  { query: "[first(empty)]", input: null, outputs: [[]] },
  { query: "first(range(10; 0; -1))", input: null, outputs: [10] },
  { query: "isempty(empty), isempty(.[])", input: [1], outputs: [true, false] },

  // Object construction and Conductor-style transforms
  { name: "Conductor's JSON_JQ_TRANSFORM example", query: "{ key3: (.key1.value1 + .key2.value2) }", input: { key1: { value1: ["a", "b"] }, key2: { value2: ["c", "d"] } }, outputs: [{ key3: ["a", "b", "c", "d"] }] },
  { query: "{ key3: (.key1.value1 + .key2.value2) }", input: { key1: { value1: 1 }, key2: { value2: 2 } }, outputs: [{ key3: 3 }] },
  { query: "{id, city: .customer.address.city}", input: order, outputs: [{ id: "ord-1042", city: "Lyon" }] },
  { query: "{(.id): .status}", input: order, outputs: [{ "ord-1042": "PAID" }] },
  { query: "{a: (1, 2), b: 3}", input: null, outputs: [{ a: 1, b: 3 }, { a: 2, b: 3 }] },
  { query: '{ result: [.[] | select(.ms > 100) | .taskId] }', input: tasks, outputs: [{ result: ["t1", "t3"] }] },
  { query: '.items | map({sku, total: (.qty * .price)}) | map(select(.total > 0))', input: order, outputs: [[{ sku: "A-1", total: 19 }, { sku: "B-7", total: 20 }]] },
  { query: '.response.body.users | map(.email) | join(";")', input: { response: { body: { users: [{ email: "a@x" }, { email: "b@x" }] } } }, outputs: ["a@x;b@x"] },
  { query: "{count: length, failed: map(select(.status == \"FAILED\")) | length}", input: tasks, outputs: [{ count: 4, failed: 2 }] },

  // Variables and definitions
  { query: ".id as $id | .items | map({order: $id, sku})", input: order, outputs: [[{ order: "ord-1042", sku: "A-1" }, { order: "ord-1042", sku: "B-7" }, { order: "ord-1042", sku: "C-3" }]] },
  { query: ". as $root | .items[0] | {sku, city: $root.customer.address.city}", input: order, outputs: [{ sku: "A-1", city: "Lyon" }] },
  { name: "an inner binding does not end the outer one", query: "1 as $x | (2 as $x | $x), $x", input: null, outputs: [2, 1] },
  { query: "[.[] as $x | $x * 2]", input: [1, 2], outputs: [[2, 4]] },
  { query: "def double: . * 2; map(double)", input: [1, 2], outputs: [[2, 4]] },
  { query: "def inc(f): f + 1; inc(.a)", input: { a: 41 }, outputs: [42] },
  { query: "def add3($a; $b; $c): $a + $b + $c; add3(1; 2; 3)", input: null, outputs: [6] },
  { query: "def fact: if . <= 1 then 1 else . * (. - 1 | fact) end; map(fact)", input: [1, 5, 10], outputs: [[1, 120, 3628800]] },
  { query: "def total: if length == 0 then 0 else .[0] + (.[1:] | total) end; total", input: [1, 2, 3, 4], outputs: [10] },

  // Types and other builtins
  { query: "[.[] | type]", input: [0, "", [], {}, null, true], outputs: [["number", "string", "array", "object", "null", "boolean"]] },
  { query: "[.[] | numbers], [.[] | strings], [.[] | nulls]", input: [1, "a", null], outputs: [[1], ["a"], [null]] },
  { query: "[.[] | scalars], [.[] | iterables]", input: [1, [2], {}], outputs: [[1], [[2], {}]] },
  { query: "any, all", input: [true, false], outputs: [true, false] },
  { query: "any(.[]; . > 2), all(.[]; . > 0)", input: [1, 3], outputs: [true, true] },
  { query: "flatten, flatten(1)", input: [1, [2, [3]]], outputs: [[1, 2, 3], [1, 2, [3]]] },
  { query: 'walk(if type == "number" then . * 2 else . end)', input: [1, { a: 2 }], outputs: [[2, { a: 4 }]] },
  { query: "transpose", input: [[1, 2], [3]], outputs: [[[1, 3], [2, null]]] },
  { query: "to_entries | map(.value) | add", input: { a: 1, b: 2 }, outputs: [3] },
  { query: "todate", input: 1700000000, outputs: ["2023-11-14T22:13:20Z"] },
  { query: "now | type", input: null, outputs: ["number"] },
  { query: "$ENV | type", input: null, outputs: ["object"] },
  { query: "[splits(\", *\")]", input: "a, b,c", outputs: [["a", "b", "c"]] },
  { query: "[.[] | round]", input: [1.5, 2.4], outputs: [[2, 2]] },
  { query: "INDEX(.taskId) | keys", input: tasks, outputs: [["t1", "t2", "t3", "t4"]] },
];

export const errorCases: ErrorCase[] = [
  { name: "a syntax error", query: "{", input: null, kind: "compile", message: /^jq: error: .*\njq: 1 compile error$/ },
  { name: "an unclosed array", query: ".items | [", input: null, kind: "compile", message: /compile error/ },
  { name: "an unknown function", query: "frobnicate", input: null, kind: "compile", message: "jq: error: frobnicate/0 is not defined\njq: 1 compile error" },
  { name: "an undefined variable", query: "$nope", input: null, kind: "compile", message: "jq: error: $nope is not defined\njq: 1 compile error" },
  { name: "indexing a number", query: ".a", input: 5, kind: "runtime", message: 'Cannot index number with "a"' },
  { name: "indexing a string", query: ".[0]", input: "abc", kind: "runtime", message: "Cannot index string with number" },
  { name: "indexing an object with a number", query: ".[0]", input: {}, kind: "runtime", message: "Cannot index object with number" },
  { name: "indexing an array with a string", query: ".a", input: [1], kind: "runtime", message: 'Cannot index array with "a"' },
  { name: "iterating over a number", query: ".[]", input: 5, kind: "runtime", message: /iterate over number/i },
  { name: "adding a string and a number", query: ".a + 1", input: { a: "x" }, kind: "runtime", message: /string.*number.*cannot be added/ },
  { name: "dividing by zero", query: ".n / .d", input: { n: 1, d: 0 }, kind: "runtime", message: /cannot be divided because the divisor is zero/ },
  { name: "keys of a number", query: "keys", input: 5, kind: "runtime", message: "number (5) has no keys" },
  { name: "length of a boolean", query: "length", input: true, kind: "runtime", message: "boolean (true) has no length" },
  { name: "tonumber of a word", query: "tonumber", input: "abc", kind: "runtime", message: /abc/ },
  { name: "error with a string", query: 'error("custom failure")', input: null, kind: "runtime", message: "custom failure" },
  { name: "error with an object", query: "error({code: 7})", input: null, kind: "runtime", message: '{"code":7} (not a string)' },
  { name: "error of the input", query: ".[] | error", input: ["first"], kind: "runtime", message: "first" },
];
