import { Hono } from "hono";
import { DeliveryLine, type EndpointForm, WebhookPage, WebhooksPage } from "../../../views/admin/webhooks.js";
import type { FieldErrors } from "../../../views/components/field.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { setFlash } from "../../http/flash.js";
import { formBody } from "../../http/forms.js";
import { done, seeOther } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { logPage } from "../../http/lists.js";
import { can } from "../../users/authorization.js";
import { DELIVERY_PAGE, deliveryPage, sendAgain, sendTest } from "../../webhooks/deliveries.js";
import {
  checkEndpoint,
  createEndpoint,
  deleteEndpoint,
  ENDPOINTS_MAX,
  type EndpointErrors,
  findEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from "../../webhooks/endpoints.js";

// /admin/webhooks: the endpoints ticket events are sent to (src/webhooks). POST / adds one and
// shows its secret once; /:id is its settings and delivery log, with a test message, a new secret,
// removal, and "send again" on a delivery.
export const adminWebhooks = new Hono<AppEnv>();
adminWebhooks.use(requireUser(can.manageUsers));

const listTitle = (c: Ctx) => c.var.i18n.t("webhooks.title");

const list = async (c: Ctx, extra: Omit<Parameters<typeof WebhooksPage>[0], "endpoints" | "allowPrivate"> = {}) => (
  <WebhooksPage
    endpoints={await listEndpoints(c.var.deps.db)}
    allowPrivate={c.var.deps.config.webhooks.allowPrivate}
    {...extra}
  />
);

/** The form's values as typed. */
async function typed(c: Ctx): Promise<Required<EndpointForm>> {
  const { fields } = await formBody(c);
  return {
    url: fields.url?.[0] ?? "",
    description: fields.description?.[0] ?? "",
    events: fields.events ?? [],
    enabled: fields.enabled?.[0] === "on",
  };
}

/** What is wrong with the form, in the reader's words, by field. */
const messagesOf = (c: Ctx, errors: EndpointErrors): FieldErrors => {
  const { t } = c.var.i18n;
  return Object.fromEntries(
    Object.entries(errors).map(([field, e]) => [field, t(e.key, { range: e.range ?? "", max: ENDPOINTS_MAX })]),
  );
};

adminWebhooks.get("/", async (c) => c.render(await list(c), { title: listTitle(c) }));

adminWebhooks.post("/", async (c) => {
  const values = await typed(c);
  const checked = await checkEndpoint(c.var.deps, values);
  let errors = "errors" in checked ? messagesOf(c, checked.errors) : undefined;
  if (!("errors" in checked)) {
    const made = await createEndpoint(c.var.deps.db, userOf(c).id, checked);
    if (made === "full") errors = { url: c.var.i18n.t("webhooks.full", { max: ENDPOINTS_MAX }) };
    else return c.render(await list(c, { made: { ...made, url: checked.url } }), { title: listTitle(c) });
  }
  c.status(422);
  return c.render(await list(c, { values, errors }), { title: listTitle(c), refused: true });
});

/** The endpoint's page, with the log page `before` asks for. */
async function endpointPage(
  c: Ctx,
  id: number,
  extra: { values?: EndpointForm; errors?: FieldErrors; secret?: string } = {},
) {
  const endpoint = await findEndpoint(c.var.deps.db, id);
  if (!endpoint) return undefined;
  const before = parseId(c.req.query("before")) ?? undefined;
  const page = await deliveryPage(c.var.deps.db, id, before);
  const { rows, olderUrl, newestUrl } = logPage(`/admin/webhooks/${id}`, {}, page, DELIVERY_PAGE, before);
  return <WebhookPage endpoint={endpoint} deliveries={rows} olderUrl={olderUrl} newestUrl={newestUrl} {...extra} />;
}

const endpointTitle = (c: Ctx) => c.var.i18n.t("webhooks.endpointTitle");

adminWebhooks.get("/:id{[0-9]+}", async (c) => {
  const page = await endpointPage(c, parseId(c.req.param("id"))!);
  return page ? c.render(page, { title: endpointTitle(c) }) : c.notFound();
});

adminWebhooks.post("/:id{[0-9]+}", async (c) => {
  const id = parseId(c.req.param("id"))!;
  if (!(await findEndpoint(c.var.deps.db, id))) return c.notFound();
  const values = await typed(c);
  const checked = await checkEndpoint(c.var.deps, values);
  if ("errors" in checked) {
    c.status(422);
    const page = await endpointPage(c, id, { values, errors: messagesOf(c, checked.errors) });
    return c.render(page!, { title: endpointTitle(c), refused: true });
  }
  const now = c.var.deps.clock.now();
  if (!(await updateEndpoint(c.var.deps.db, id, { ...checked, enabled: values.enabled }, now))) return c.notFound();
  setFlash(c, c.var.i18n.t("webhooks.saved"));
  return seeOther(c, `/admin/webhooks/${id}`);
});

adminWebhooks.post("/:id{[0-9]+}/test", async (c) => {
  const id = parseId(c.req.param("id"))!;
  if (!(await findEndpoint(c.var.deps.db, id))) return c.notFound();
  await sendTest(c.var.deps.db, id, c.var.deps.clock.now());
  setFlash(c, c.var.i18n.t("webhooks.testQueued"));
  return seeOther(c, `/admin/webhooks/${id}#log`);
});

adminWebhooks.post("/:id{[0-9]+}/secret", async (c) => {
  const id = parseId(c.req.param("id"))!;
  const secret = await rotateSecret(c.var.deps.db, id);
  if (!secret) return c.notFound();
  return c.render((await endpointPage(c, id, { secret }))!, { title: endpointTitle(c) });
});

adminWebhooks.post("/:id{[0-9]+}/delete", async (c) => {
  const id = parseId(c.req.param("id"))!;
  const endpoint = await findEndpoint(c.var.deps.db, id);
  if (!endpoint || !(await deleteEndpoint(c.var.deps.db, id))) return c.notFound();
  setFlash(c, c.var.i18n.t("webhooks.deleted", { url: endpoint.url }));
  return seeOther(c, "/admin/webhooks");
});

adminWebhooks.post("/:id{[0-9]+}/deliveries/:delivery{[0-9]+}/again", async (c) => {
  const id = parseId(c.req.param("id"))!;
  const delivery = parseId(c.req.param("delivery"))!;
  const { db, clock } = c.var.deps;
  if (!(await sendAgain(db, id, delivery, clock.now()))) return c.notFound();
  const message = c.var.i18n.t("webhooks.queuedAgain");
  return done(c, message, `/admin/webhooks/${id}#log`, async () => {
    const [row] = await deliveryPage(db, id, delivery + 1);
    return <DeliveryLine d={row!} endpointId={id} />;
  });
});
