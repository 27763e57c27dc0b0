// npm run user:create -- --email ops@example.com [--role admin] [--name "Ops"] [--password "..."]
// For operators: creates an account, or updates an existing one. A new account without --password
// gets a generated one; an existing account keeps its role unless --role says otherwise, keeps its
// password unless --password is given (which ends all its sessions), and the last admin stays one.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../config.js";
import { isMissingTable } from "../db/migrate.js";
import { createPrisma } from "../db/prisma.js";
import { makeDeps } from "../deps.js";
import { i18nFor } from "../i18n/translate.js";
import { changeRole } from "../users/admins.js";
import { isRole } from "../users/authorization.js";
import { closePasswordWorkers } from "../users/bcrypt-pool.js";
import { hashPassword, PASSWORD_LIMITS, passwordProblem } from "../users/password-rules.js";
import { setPassword } from "../users/passwords.js";
import { renameUser } from "../users/people.js";
import { normaliseEmail } from "../users/sign-in.js";

const options = {
  email: { type: "string" },
  name: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
} as const;
const { values } = parseArgs({ options });
const fail = (message: string): never => {
  console.error(
    `${message}\nusage: npm run user:create -- --email EMAIL [--role requester|agent|admin] [--name NAME] [--password PASSWORD]`,
  );
  process.exit(2);
};
if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) fail("--email is required");
if (values.role !== undefined && !isRole(values.role))
  fail(`--role must be requester, agent or admin (got ${values.role})`);
const problem = values.password === undefined ? undefined : passwordProblem(values.password, { email: values.email });
if (problem) fail(`--password: ${i18nFor("en").t(problem, PASSWORD_LIMITS)}`);

const config = loadConfigOrExit(2);
const db = createPrisma(config.databaseUrl);
const deps = makeDeps(config, db, { log: () => {} });
const email = normaliseEmail(values.email!);
const existing = await db.user.findUnique({ where: { email } }).catch((error: unknown) => {
  if (isMissingTable(error)) fail("The database has no tables yet: run npm run db:migrate (or npm start once) first.");
  throw error;
});
let generated: string | undefined;
let said: string;
if (!existing) {
  generated = values.password === undefined ? randomBytes(15).toString("base64url") : undefined;
  const passwordHash = await hashPassword(values.password ?? generated!, config.bcryptCost);
  const role = values.role ?? "requester";
  const name = values.name ?? email.split("@")[0]!;
  const user = await db.user.create({
    data: { email, name, role, passwordHash, createdAt: deps.clock.now(), emailConfirmedAt: deps.clock.now() },
  });
  said = `${user.email} is ${/^[aeiou]/.test(role) ? "an" : "a"} ${role} (id ${user.id}).`;
} else {
  if (values.name) await renameUser(deps, existing.id, values.name);
  if (values.role && isRole(values.role) && (await changeRole(deps, existing.id, values.role)) === "last admin") {
    fail(`${email} is the last admin; make someone else an admin first. Nothing was changed.`);
  }
  const ended = values.password === undefined ? 0 : await setPassword(deps, existing.id, values.password);
  const role = values.role ?? existing.role;
  said = `${email} is ${/^[aeiou]/.test(role) ? "an" : "a"} ${role} (id ${existing.id}).`;
  if (values.password !== undefined) said += ` Password set; ${ended} session${ended === 1 ? "" : "s"} ended.`;
}
console.log(generated ? `${said}\nPassword: ${generated}` : said);
await closePasswordWorkers();
await db.$disconnect();
