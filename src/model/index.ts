/** Conductor's wire shapes as valibot schemas, their types, and definition validation. */
export * from "./common.ts";
export * from "./enums.ts";
export * from "./misc.ts";
export * from "./parse.ts";
export * from "./start-request.ts";
export * from "./task-def.ts";
export * from "./task-result.ts";
export * from "./task.ts";
export * from "./validate-task-type.ts";
export * from "./validate-workflow-def.ts";
export * from "./workflow-def.ts";
export * from "./workflow-task.ts";
export * from "./workflow.ts";
