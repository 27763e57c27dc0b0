import { Hono } from "hono";
import { z } from "zod";
import {
  isOn,
  RecoveryCodesPage,
  SetupPage,
  TwoFactorPage,
  type TwoFactorState,
} from "../../../views/account/two-factor.js";
import type { FieldErrors } from "../../../views/components/field.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requestMeta, requireUser, userOf } from "../../http/auth/middleware.js";
import { tooManyAttempts } from "../../http/errors.js";
import { readForm } from "../../http/forms.js";
import { done, refuseForm, respond } from "../../http/htmx.js";
import { isStaff } from "../../users/authorization.js";
import { passkeysOf } from "../../users/passkeys.js";
import { beginAttempt, giveBackAttempt } from "../../users/throttle.js";
import {
  beginSetup,
  codeLimits,
  confirmSetup,
  newRecoveryCodes,
  setupOf,
  staffMustUse2fa,
  turnOff,
  unusedRecoveryCodes,
  useSecondFactor,
} from "../../users/two-factor.js";

// /account/two-factor: a person's own authenticator app: set up (a secret, confirmed by a code),
// new recovery codes and turning it off (each asking for a code first).
export const twoFactor = new Hono<AppEnv>();
twoFactor.use(requireUser());

/** The signed-in person's second factors, as the page shows them. */
export async function twoFactorState(c: Ctx): Promise<TwoFactorState> {
  const { deps } = c.var;
  const user = userOf(c);
  const [required, row, keys, recoveryLeft] = await Promise.all([
    isStaff(user) ? staffMustUse2fa(deps).then((r) => r.required) : false,
    deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true } }),
    passkeysOf(deps, user.id),
    unusedRecoveryCodes(deps, user.id),
  ]);
  return { required, app: row.totpEnabledAt, passkeys: keys, recoveryLeft };
}
const stateOf = twoFactorState;

const title = (c: Ctx) => c.var.i18n.t("twoFactor.title");

twoFactor.get("/", async (c) => c.render(<TwoFactorPage state={await stateOf(c)} />, { title: title(c) }));

twoFactor.post("/setup", async (c) => {
  const user = userOf(c);
  if ((await stateOf(c)).app) return respond(c, <TwoFactorPage state={await stateOf(c)} />, title(c));
  const secret = await beginSetup(c.var.deps, user.id);
  return respond(c, <SetupPage {...setupOf(c.var.deps, secret, user.email)} />, c.var.i18n.t("twoFactor.setupTitle"));
});

const codeForm = (field: string) => z.object({ [field]: z.string().trim().max(40).default("") });

twoFactor.post("/confirm", async (c) => {
  const { deps } = c.var;
  const { t } = c.var.i18n;
  const user = userOf(c);
  const form = await readForm(c, codeForm("code"));
  const code = form.ok ? String(form.data.code) : "";
  const codes = code ? await confirmSetup(deps, user.id, code) : null;
  if (codes) return respond(c, <RecoveryCodesPage codes={codes} justTurnedOn />, t("twoFactor.onTitle"));
  const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
  // Nothing being set up (done in another tab, or never started): the page as it is.
  if (!row.totpPendingSecret) return respond(c, <TwoFactorPage state={await stateOf(c)} />, title(c));
  const errors = { code: t(code ? "twoFactor.codeNotRight" : "twoFactor.codeMissing") };
  const page = <SetupPage {...setupOf(deps, row.totpPendingSecret, user.email)} errors={errors} />;
  return refuseForm(c, 422, page, t("twoFactor.setupTitle"));
});

/**
 * A change to two-factor made by its owner needs a code (or a recovery code) first: a session left
 * open on a shared computer cannot turn it off. Wrong codes count with the sign-in throttle's limits.
 */
async function withCode(c: Ctx, field: "code" | "off_code", then: () => Promise<Response>): Promise<Response> {
  const { deps } = c.var;
  const { t } = c.var.i18n;
  const user = userOf(c);
  const form = await readForm(c, codeForm(field));
  const code = form.ok ? String(form.data[field]) : "";
  const refuse = async (message: string) => {
    const errors: FieldErrors = { [field]: message };
    return refuseForm(c, 422, <TwoFactorPage state={await stateOf(c)} errors={errors} />, title(c));
  };
  const state = await stateOf(c);
  if (field === "off_code" ? !state.app : !isOn(state)) return respond(c, <TwoFactorPage state={state} />, title(c));
  if (!code) return refuse(t("twoFactor.codeMissing"));
  const now = deps.clock.now();
  const limits = codeLimits(deps, user.id, requestMeta(c));
  const retryAt = await beginAttempt(deps.db, limits, now);
  if (retryAt) return tooManyAttempts(c, retryAt);
  if (!(await useSecondFactor(deps, user.id, code))) return refuse(t("twoFactor.codeNotRight"));
  await giveBackAttempt(deps.db, limits, now);
  return then();
}

twoFactor.post("/recovery-codes", (c) =>
  withCode(c, "code", async () => {
    const codes = await newRecoveryCodes(c.var.deps, userOf(c).id);
    return respond(c, <RecoveryCodesPage codes={codes} justTurnedOn={false} />, c.var.i18n.t("twoFactor.codesTitle"));
  }),
);

twoFactor.post("/off", async (c) => {
  const { t } = c.var.i18n;
  const state = await stateOf(c);
  if (state.required && state.passkeys.length === 0) {
    c.status(409);
    return respond(c, <TwoFactorPage state={await stateOf(c)} />, title(c));
  }
  return withCode(c, "off_code", async () => {
    const user = userOf(c);
    const remains = await turnOff(c.var.deps, user.id, user.id);
    return done(c, t(remains ? "twoFactor.appOff" : "twoFactor.turnedOff"), "/account/two-factor", async () => (
      <TwoFactorPage state={await stateOf(c)} />
    ));
  });
});
