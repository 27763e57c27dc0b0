import { migrate, seed } from "./harness.js";

const url = process.argv[2]!;
migrate(url);
await seed(url, 200_000);
console.log("seeded");
process.exit(0);
