// npm run user:create -- --email ops@example.com --role admin [--name "Ops"] [--password "..."]
// For operators: creates (or updates the role of) an account. Without --password one is generated.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { createPrisma } from "../db/prisma.js";
import { isRole } from "../lib/authorization.js";
import { hashPassword, passwordProblem } from "../lib/auth/passwords.js";
import { normaliseEmail } from "../lib/auth/session.js";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "requester" },
    password: { type: "string" },
  },
});
const fail = (message: string) => {
  console.error(
    `${message}\nusage: npm run user:create -- --email EMAIL [--role requester|agent|admin] [--name NAME] [--password PASSWORD]`,
  );
  process.exit(2);
};
if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) fail("--email is required");
if (!isRole(values.role!)) fail(`--role must be requester, agent or admin (got ${values.role})`);
const password = values.password ?? randomBytes(15).toString("base64url");
const problem = passwordProblem(password, { email: values.email });
if (problem) fail(`--password: ${problem}`);

const config = loadConfig();
const db = createPrisma(config.databaseUrl);
const email = normaliseEmail(values.email!);
const passwordHash = await hashPassword(password, config.bcryptCost);
const user = await db.user.upsert({
  where: { email },
  create: { email, name: values.name ?? email.split("@")[0]!, role: values.role!, passwordHash },
  update: {
    role: values.role!,
    ...(values.password ? { passwordHash } : {}),
    ...(values.name ? { name: values.name } : {}),
  },
});
console.log(
  `${user.email} is ${/^[aeiou]/.test(user.role) ? "an" : "a"} ${user.role} (id ${user.id}).${values.password ? "" : `\nPassword: ${password}`}`,
);
await db.$disconnect();
