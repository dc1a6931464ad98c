/**
 * The "typical" user code the benchmarks run: an INLINE script and a JSON_JQ_TRANSFORM query that
 * reshape a worker's output (10 orders of 3 items each, ~1.5 kB of JSON). The in-process
 * micro-benchmarks (bench/sandbox.ts, bench/jq.ts) and the server's system-task scenario
 * (bench/scenarios/system.ts) run exactly these, so their figures can be compared.
 */

/** An INLINE as workflows write them: filter, sum and pick from the input (`$` = the task's input). */
export const TYPICAL_SCRIPT = `(function () {
  const paid = $.orders.filter(o => o.status === "paid");
  return { count: paid.length, revenue: paid.reduce((sum, o) => sum + o.items.reduce((s, i) => s + i.price * i.qty, 0), 0), ids: paid.map(o => o.id) };
})()`;

/** The same reshape in jq, with a string interpolation per order. */
export const TYPICAL_JQ =
  '.orders | map(select(.status == "paid") | {id, total: (.items | map(.price * .qty) | add), customer: "\\(.customer.first) \\(.customer.last)"}) | {count: length, revenue: (map(.total) | add), orders: .}';

/** What both read: `{orders: [...]}`. */
export const TYPICAL_INPUT = {
  orders: Array.from({ length: 10 }, (_, i) => ({
    id: `o-${i}`,
    status: i % 3 === 0 ? "pending" : "paid",
    customer: { first: "Ada", last: `Lovelace${i}` },
    items: Array.from({ length: 3 }, (_, j) => ({ sku: `s-${j}`, price: 9.5 + j, qty: 1 + ((i + j) % 4) })),
  })),
};
