import { migrate } from "./harness.js";

migrate(process.argv[2]!);
process.exit(0);
