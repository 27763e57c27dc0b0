import { Hono } from "hono";
import { z } from "zod";
import {
  ProvidersSection,
  type ProviderValues,
  SignInSettingsForm,
  SignInSettingsPage,
} from "../../../views/admin/sign-in.js";
import type { FieldErrors } from "../../../views/components/field.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { checkedValues, readForm } from "../../http/forms.js";
import { done, fragment, isPartial, refuseForm } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { msg } from "../../i18n/translate.js";
import { publicBase } from "../../mail/messages.js";
import { can } from "../../users/authorization.js";
import { activeStaffWhere } from "../../users/people.js";
import { checkProvider, ssoProviders } from "../../users/sso.js";
import { saveStaffMustUse2fa, staffMustUse2fa } from "../../users/two-factor.js";

// /admin/sign-in: whether agents and admins must use two-factor sign-in (and who has not set it
// up), and the single sign-on providers people may sign in with.
export const adminSignIn = new Hono<AppEnv>();
adminSignIn.use(requireUser(can.manageUsers));

async function settingsOf(c: Ctx) {
  const { deps } = c.var;
  const [rule, without] = await Promise.all([
    staffMustUse2fa(deps),
    deps.db.user.findMany({
      where: { ...activeStaffWhere, totpEnabledAt: null },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: 200,
    }),
  ]);
  return { ...rule, without };
}

async function providersOf(c: Ctx, values?: ProviderValues, errors?: FieldErrors) {
  const { deps } = c.var;
  return {
    providers: await ssoProviders(deps),
    envSlug: deps.config.sso.env?.slug,
    base: publicBase(deps.config),
    values,
    errors,
  };
}

const title = (c: Ctx) => c.var.i18n.t("signInAdmin.title");

adminSignIn.get("/", async (c) =>
  c.render(<SignInSettingsPage {...(await settingsOf(c))} providers={await providersOf(c)} />, { title: title(c) }),
);

adminSignIn.post("/", async (c) => {
  const required = (await checkedValues(c, "require")).includes("staff");
  // Requiring it of everyone while one has not set it up would shut oneself out mid-change.
  if (required && !userOf(c).twoFactor) {
    c.status(409);
    const settings = { ...(await settingsOf(c)), notice: c.var.i18n.t("signInAdmin.yoursFirst") };
    if (isPartial(c)) return fragment(c, <SignInSettingsForm {...settings} />);
    return c.render(<SignInSettingsPage {...settings} providers={await providersOf(c)} />, { title: title(c) });
  }
  await saveStaffMustUse2fa(c.var.deps, required);
  const message = c.var.i18n.t(required ? "signInAdmin.savedOn" : "signInAdmin.savedOff");
  return done(c, message, "/admin/sign-in", async () => <SignInSettingsForm {...(await settingsOf(c))} />);
});

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, msg("ssoAdmin.tooLong"))
    .optional()
    .transform((v) => v || null);

const providerForm = z.object({
  name: z.string().trim().min(1, msg("ssoAdmin.nameMissing")).max(60, msg("ssoAdmin.tooLong")),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,40}$/, msg("ssoAdmin.slugInvalid")),
  issuer: z.url({ protocol: /^https?$/, error: msg("ssoAdmin.issuerInvalid") }).max(500, msg("ssoAdmin.tooLong")),
  client_id: z.string().trim().min(1, msg("ssoAdmin.clientIdMissing")).max(500, msg("ssoAdmin.tooLong")),
  client_secret: z.string().min(1, msg("ssoAdmin.clientSecretMissing")).max(1000, msg("ssoAdmin.tooLong")),
  agent_claim: optional(100),
  agent_value: optional(200),
});

adminSignIn.post("/providers", async (c) => {
  const { deps } = c.var;
  const { t } = c.var.i18n;
  const form = await readForm(c, providerForm);
  const options = await checkedValues(c, "options");
  const values: ProviderValues = {
    ...form.values,
    client_secret: undefined,
    create_people: options.includes("create_people") ? "on" : undefined,
    trust_mfa: options.includes("trust_mfa") ? "on" : undefined,
  };
  const refuse = async (errors: FieldErrors) => {
    const section = <ProvidersSection {...(await providersOf(c, values, errors))} />;
    const page = <SignInSettingsPage {...(await settingsOf(c))} providers={await providersOf(c, values, errors)} />;
    return refuseForm(c, 422, page, title(c), section);
  };
  if (!form.ok) return refuse(form.errors);
  const d = form.data;
  if ((d.agent_claim === null) !== (d.agent_value === null))
    return refuse({ [d.agent_claim ? "agent_value" : "agent_claim"]: t("ssoAdmin.agentBoth") });
  const settings = {
    slug: d.slug,
    name: d.name,
    issuer: d.issuer.replace(/\/$/, ""),
    clientId: d.client_id,
    clientSecret: d.client_secret,
    createPeople: options.includes("create_people"),
    agentClaim: d.agent_claim,
    agentValue: d.agent_value,
    trustMfa: options.includes("trust_mfa"),
  };
  if ((await ssoProviders(deps)).some((p) => p.slug === settings.slug))
    return refuse({ slug: t("ssoAdmin.slugTaken") });
  const problem = await checkProvider(deps, settings);
  if (problem) return refuse({ issuer: t(problem === "http" ? "ssoAdmin.issuerHttp" : "ssoAdmin.issuerUnreachable") });
  try {
    await deps.db.ssoProvider.create({ data: settings });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    return refuse({ slug: t("ssoAdmin.slugTaken") });
  }
  return done(c, t("ssoAdmin.added", { name: settings.name }), "/admin/sign-in", async () => (
    <ProvidersSection {...(await providersOf(c))} />
  ));
});

adminSignIn.post("/providers/:id/delete", async (c) => {
  const id = parseId(c.req.param("id"));
  const row = id ? await c.var.deps.db.ssoProvider.findUnique({ where: { id } }) : null;
  if (!row) return c.notFound();
  await c.var.deps.db.ssoProvider.delete({ where: { id: row.id } });
  return done(c, c.var.i18n.t("ssoAdmin.removed", { name: row.name }), "/admin/sign-in", async () => (
    <ProvidersSection {...(await providersOf(c))} />
  ));
});
