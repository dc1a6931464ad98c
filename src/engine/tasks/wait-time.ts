/**
 * The two ways a WAIT says how long: a `duration` ("30s", "10m 30s", "1d 2h", "5 minutes") or an
 * `until` date ("2026-12-01 10:00 UTC", "2026-12-01 10:00", "2026-12-01"; no zone means UTC).
 */
const UNIT_MS: Record<string, number> = {};
for (const [names, ms] of [
  [["s", "sec", "secs", "second", "seconds"], 1000],
  [["m", "min", "mins", "minute", "minutes"], 60_000],
  [["h", "hr", "hrs", "hour", "hours"], 3_600_000],
  [["d", "day", "days"], 86_400_000],
] as const) {
  for (const n of names) UNIT_MS[n] = ms;
}

/** Milliseconds in a duration, or undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().toLowerCase().match(/\d+\s*[a-z]+/g);
  if (!parts || parts.join("").replace(/\s/g, "") !== text.toLowerCase().replace(/\s/g, "")) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = part.match(/^(\d+)\s*([a-z]+)$/)!;
    const ms = UNIT_MS[unit];
    if (ms === undefined) return undefined;
    total += Number(amount) * ms;
  }
  return total;
}

const ZONE_OFFSETS: Record<string, string> = { UTC: "Z", GMT: "Z", Z: "Z" };

/** Epoch milliseconds of an `until` date, or undefined if it cannot be read. */
export function parseUntil(text: string): number | undefined {
  const m = text.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?)?(?:\s*(\S+))?$/);
  if (!m) return undefined;
  const [, date, time = "00:00", seconds = "00", zone] = m;
  let offset = "Z";
  if (zone) {
    if (ZONE_OFFSETS[zone.toUpperCase()]) offset = ZONE_OFFSETS[zone.toUpperCase()];
    else if (/^[+-]\d{2}:?\d{2}$/.test(zone)) offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    else return undefined;
  }
  const at = Date.parse(`${date}T${time}:${seconds}${offset}`);
  return Number.isNaN(at) ? undefined : at;
}
