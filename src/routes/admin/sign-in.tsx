import { Hono } from "hono";
import { SignInSettingsForm, SignInSettingsPage } from "../../../views/admin/sign-in.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { checkedValues } from "../../http/forms.js";
import { done, fragment, isPartial } from "../../http/htmx.js";
import { can } from "../../users/authorization.js";
import { activeStaffWhere } from "../../users/people.js";
import { saveStaffMustUse2fa, staffMustUse2fa } from "../../users/two-factor.js";

// /admin/sign-in: whether agents and admins must use two-factor sign-in, and who has not set it up.
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

adminSignIn.get("/", async (c) =>
  c.render(<SignInSettingsPage {...(await settingsOf(c))} />, { title: c.var.i18n.t("signInAdmin.title") }),
);

adminSignIn.post("/", async (c) => {
  const required = (await checkedValues(c, "require")).includes("staff");
  // Requiring it of everyone while one has not set it up would shut oneself out mid-change.
  if (required && !userOf(c).twoFactor) {
    c.status(409);
    const notice = c.var.i18n.t("signInAdmin.yoursFirst");
    const settings = { ...(await settingsOf(c)), notice };
    if (isPartial(c)) return fragment(c, <SignInSettingsForm {...settings} />);
    return c.render(<SignInSettingsPage {...settings} />, { title: c.var.i18n.t("signInAdmin.title") });
  }
  await saveStaffMustUse2fa(c.var.deps, required);
  const message = c.var.i18n.t(required ? "signInAdmin.savedOn" : "signInAdmin.savedOff");
  return done(c, message, "/admin/sign-in", async () => <SignInSettingsForm {...(await settingsOf(c))} />);
});
