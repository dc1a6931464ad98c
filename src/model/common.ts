/**
 * Building blocks shared by the wire schemas. Conductor serialises with Jackson NON_NULL and its
 * clients often send `null` for a field they leave unset, so every optional field here accepts
 * null as "absent" and every defaulted field fills its default for null as well as for a
 * missing key.
 */
import * as v from "valibot";

/** A JSON object whose values all fit `value`. Valibot's record alone would take a list too. */
export function mapOf<S extends v.GenericSchema>(value: S) {
  return v.pipe(
    v.custom<Record<string, v.InferInput<S>>>(
      (input) => typeof input === "object" && input !== null && !Array.isArray(input),
      (issue) => `expected an object but received ${issue.received}`,
    ),
    v.record(v.string(), value),
  );
}

/** A free-form JSON object: inputs, outputs, variables, templates. */
export const JsonMapSchema = mapOf(v.unknown());
export type JsonMap = Record<string, unknown>;

export const StringMapSchema = mapOf(v.string());

/** An optional field: a missing key or `null` both come out as `undefined`. */
export function opt<S extends v.GenericSchema>(schema: S) {
  return v.optional(
    v.pipe(
      v.nullable(schema),
      v.transform((value: v.InferOutput<S> | null) => (value === null ? undefined : value)),
    ),
  );
}

/**
 * A defaulted free-form map or list. The default is built per parse: a shared literal would be
 * one object aliased by every parsed value, and the engine mutates these.
 */
export const mapOrEmpty = () => v.nullish(JsonMapSchema, () => ({}));
export const stringMapOrEmpty = () => v.nullish(StringMapSchema, () => ({}));
export const stringsOrEmpty = () => v.nullish(v.array(v.string()), () => []);

const WHOLE = "must be a whole number";

/** A whole number ≥ 0 (counts and durations in seconds or milliseconds). */
export const Count = v.pipe(v.number(), v.integer(WHOLE), v.minValue(0, "must be 0 or more"));

/** Any whole number (versions and the like, where Conductor puts no bound). */
export const Int = v.pipe(v.number(), v.integer(WHOLE));

/** Epoch milliseconds. */
export const EpochMs = v.number();

/** A string that must not be empty (Conductor's @NotEmpty). */
export const NonEmptyString = v.pipe(v.string(), v.minLength(1, "must not be empty"));

/** The audit fields Conductor adds to every definition (`Auditable`). */
export const auditEntries = {
  ownerApp: opt(v.string()),
  createTime: opt(EpochMs),
  updateTime: opt(EpochMs),
  createdBy: opt(v.string()),
  updatedBy: opt(v.string()),
};

/** A JSON schema attached to a definition (`SchemaDef`); Baton stores it but does not enforce it. */
export const SchemaDefSchema = v.object({
  name: v.string(),
  version: v.nullish(Int, 1),
  type: v.picklist(["JSON", "AVRO", "PROTOBUF"]),
  data: opt(JsonMapSchema),
  externalRef: opt(v.string()),
  ...auditEntries,
});
export type SchemaDef = v.InferOutput<typeof SchemaDefSchema>;

/** Output caching of a task or workflow (`CacheConfig`). */
export const CacheConfigSchema = v.object({
  key: v.string(),
  ttlInSecond: v.nullish(Count, 0),
});
export type CacheConfig = v.InferOutput<typeof CacheConfigSchema>;
