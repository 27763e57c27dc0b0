import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { Hono } from "hono";
import { RecoveryCodesPage, TwoFactorPage } from "../../../views/account/two-factor.js";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { jsonBody, setChallengeCookie, takeChallengeCookie } from "../../http/auth/passkey-cookie.js";
import { done, fragment, respond } from "../../http/htmx.js";
import { addPasskey, PASSKEY_NAME_MAX, registrationOptions, removePasskey } from "../../users/passkeys.js";
import { twoFactorState } from "./two-factor.js";

// /account/two-factor/passkeys: adding a passkey (the browser's WebAuthn, so JavaScript: options
// as JSON, the new credential back as JSON, the section's HTML in answer) and removing one (a
// plain form).
export const passkeys = new Hono<AppEnv>();
passkeys.use(requireUser());

passkeys.post("/options", async (c) => {
  const { options, token } = await registrationOptions(c.var.deps, userOf(c));
  setChallengeCookie(c, "register", token);
  return c.json(options);
});

passkeys.post("/", async (c) => {
  const { t } = c.var.i18n;
  const user = userOf(c);
  const body = await jsonBody(c);
  const name = typeof body?.name === "string" ? body.name.trim().slice(0, PASSKEY_NAME_MAX) : "";
  const token = takeChallengeCookie(c, "register");
  const refuse = async (message: string) => {
    c.status(422);
    return fragment(c, <TwoFactorPage state={await twoFactorState(c)} notice={message} />);
  };
  if (!body || typeof body.response !== "object") return refuse(t("passkeys.failed"));
  const result = await addPasskey(
    c.var.deps,
    user.id,
    token,
    body.response as RegistrationResponseJSON,
    name || t("passkeys.defaultName"),
  );
  if (!result.ok)
    return refuse(
      t(
        result.reason === "full"
          ? "passkeys.full"
          : result.reason === "expired"
            ? "passkeys.expired"
            : "passkeys.failed",
      ),
    );
  if (result.recoveryCodes)
    return fragment(
      c,
      <RecoveryCodesPage codes={result.recoveryCodes} justTurnedOn lead={t("passkeys.addedWithCodes")} />,
    );
  return fragment(c, <TwoFactorPage state={await twoFactorState(c)} notice={t("passkeys.added")} />);
});

passkeys.post("/:id{[\\w-]{1,1400}}/delete", async (c) => {
  const { t } = c.var.i18n;
  // Where two-step sign-in is required, the last second factor stays (the app can be set up first).
  const state = await twoFactorState(c);
  if (state.required && !state.app && state.passkeys.length <= 1) {
    c.status(409);
    return respond(c, <TwoFactorPage state={state} notice={t("twoFactor.requiredStays")} />, t("twoFactor.title"));
  }
  const name = await removePasskey(c.var.deps, userOf(c).id, c.req.param("id"));
  if (!name) return c.notFound();
  return done(c, t("passkeys.removed", { name }), "/account/two-factor", async () => (
    <TwoFactorPage state={await twoFactorState(c)} />
  ));
});
