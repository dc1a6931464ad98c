// drizzle-kit's bundle of the migrations folder (each .sql imported as text by wrangler's rules).
declare module "*/migrations/migrations.js" {
  const migrations: { journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] }; migrations: Record<string, string> };
  export default migrations;
}
