import { Hono } from "hono";
import { type TokenForm, TokensPage } from "../../../views/account/tokens.js";
import type { FieldErrors } from "../../../views/components/field.js";
import {
  createToken,
  curlExample,
  EXPIRIES,
  listTokens,
  revokeToken,
  SCOPES,
  type Scope,
  TOKEN_NAME_MAX,
} from "../../api/tokens.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { formBody, withoutBidiControls } from "../../http/forms.js";
import { done } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { publicBase } from "../../mail/messages.js";
import { isAdmin } from "../../users/authorization.js";

// /account/tokens: the person's API tokens (api/tokens.ts). POST makes one and shows it once (the
// answer is the page with it: it is never stored to show again); POST /:id/revoke ends one.
export const tokens = new Hono<AppEnv>();
tokens.use(requireUser());

const page = async (
  c: Ctx,
  extra: { values?: TokenForm; errors?: FieldErrors; made?: { name: string; token: string; example: string } } = {},
) => <TokensPage tokens={await listTokens(c.var.deps, userOf(c))} admin={isAdmin(userOf(c))} {...extra} />;
const title = (c: Ctx) => c.var.i18n.t("tokens.title");

tokens.get("/", async (c) => c.render(await page(c), { title: title(c) }));

tokens.post("/", async (c) => {
  const { t } = c.var.i18n;
  const { fields } = await formBody(c);
  const name = withoutBidiControls(fields.name?.[0] ?? "").trim();
  const scopes = (fields.scopes ?? []).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  const expires = fields.expires?.[0] ?? "";
  const values = { name, scopes, expires };
  const errors: FieldErrors = {};
  if (!name) errors.name = t("tokens.nameMissing");
  else if (name.length > TOKEN_NAME_MAX) errors.name = t("tokens.nameLong", { max: TOKEN_NAME_MAX });
  if (!scopes.length) errors.scopes = t("tokens.scopesMissing");
  const days = EXPIRIES.find((d) => String(d) === expires);
  if (days === undefined) errors.expires = t("tokens.expiryInvalid");
  let made: Awaited<ReturnType<typeof createToken>> | undefined;
  if (!Object.keys(errors).length) {
    made = await createToken(c.var.deps, userOf(c), { name, scopes, expiresInDays: days! });
    if (made === "admin scope") errors.scopes = t("tokens.adminOnly");
    if (made === "full") errors.name = t("tokens.full");
  }
  if (Object.keys(errors).length || typeof made !== "object") {
    c.status(422);
    return c.render(await page(c, { values, errors }), { title: title(c), refused: true });
  }
  const example = curlExample(publicBase(c.var.deps.config), made.token);
  return c.render(await page(c, { made: { name, token: made.token, example } }), { title: title(c) });
});

tokens.post("/:id{[0-9]+}/revoke", async (c) => {
  const id = parseId(c.req.param("id"));
  const before = (await listTokens(c.var.deps, userOf(c))).find((k) => k.id === id);
  if (!id || !before || !(await revokeToken(c.var.deps, userOf(c), id))) return c.notFound();
  return done(c, c.var.i18n.t("tokens.revoked", { name: before.name }), "/account/tokens", () => page(c));
});
