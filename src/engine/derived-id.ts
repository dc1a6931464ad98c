/**
 * Ids derived from other ids, the same every time: a sub-workflow's id comes from its parent
 * task, so a start delivered twice (or retried after a crash) finds the child it already made.
 * A 128-bit FNV-1a hash, laid out as a version-8 UUID.
 */
const FNV_PRIME = 0x0000000001000000000000000000013bn;
const FNV_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const MASK = (1n << 128n) - 1n;

export function derivedId(...parts: string[]): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(parts.join("\u0000"))) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  const hex = hash.toString(16).padStart(32, "0").split("");
  hex[12] = "8"; // version 8: custom
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16); // RFC 4122 variant
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
