import { defineConfig } from "drizzle-kit";

// One migrations folder for every backend: libSQL, D1 and Durable Object SQLite.
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./src/store/schema.ts",
  out: "./migrations",
});
