// Run by `npm start` (and `npm run db:migrate`, the Docker image) before the migrations: refuses,
// with one line, a database a newer version of Hyperdesk has upgraded.
import { loadConfigOrExit } from "../config.js";
import { exitIfNewerSchema } from "../db/schema-version.js";

await exitIfNewerSchema(loadConfigOrExit().databaseUrl);
