import { createPrisma } from "../../src/db/prisma.js";

const db = createPrisma(process.argv[2]!);
const sqls = process.argv.slice(3);
for (const sql of sqls) {
  const started = performance.now();
  const rows = await db.$queryRawUnsafe(sql);
  console.log(
    sql.slice(0, 200),
    "\n ->",
    JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? Number(v) : v)).slice(0, 600),
    `(${(performance.now() - started).toFixed(1)} ms)`,
  );
}
process.exit(0);
