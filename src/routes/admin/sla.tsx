import { Hono } from "hono";
import { SlaForm, SlaPage } from "../../../views/admin/sla.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { readForm } from "../../http/forms.js";
import { done, refuseForm } from "../../http/htmx.js";
import { formValuesOf, policyForm, policyOf } from "../../sla/form.js";
import { readPolicy, savePolicy } from "../../sla/policy.js";
import { openTicketCount, recomputeOpenTickets } from "../../sla/recompute.js";
import { can } from "../../users/authorization.js";

// /admin/sla: the desk's business hours, holidays and per-priority targets (sla/policy.ts). Saving
// applies to every change from then on, on every instance, and brings the due times of the tickets
// not closed up to date in the background.
export const sla = new Hono<AppEnv>();
sla.use(requireUser(can.manageUsers));

/** Every IANA zone this runtime knows, for the time zone box's suggestions. */
const zones = Intl.supportedValuesOf("timeZone");

const title = (c: Ctx) => c.var.i18n.t("sla.title");

sla.get("/", async (c) => {
  const policy = await readPolicy(c.var.deps.db, c.var.deps.config.timeZone);
  return c.render(<SlaPage values={formValuesOf(policy)} zones={zones} />, { title: title(c) });
});

sla.post("/", async (c) => {
  const { deps, i18n } = c.var;
  const form = await readForm(c, policyForm);
  if (!form.ok) {
    const view = { values: form.values, errors: form.errors, zones };
    return refuseForm(c, 422, <SlaPage {...view} />, title(c), <SlaForm {...view} />);
  }
  const policy = policyOf(form.data);
  await savePolicy(deps.db, policy);
  const count = await openTicketCount(deps);
  void recomputeOpenTickets(deps);
  return done(c, i18n.t("sla.saved", { count }), "/admin/sla", () => (
    <SlaForm values={formValuesOf(policy)} zones={zones} />
  ));
});
