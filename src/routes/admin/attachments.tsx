import { Hono } from "hono";
import { AttachmentKindsForm, AttachmentsPage } from "../../../views/admin/attachments.js";
import { allowedKinds, saveAllowedKinds } from "../../attachments/files.js";
import { KIND_NAMES, type Kind } from "../../attachments/types.js";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { checkedValues } from "../../http/forms.js";
import { done } from "../../http/htmx.js";
import { can } from "../../users/authorization.js";

// /admin/attachments: the kinds of file this desk takes. The limits are configuration (restart).
export const attachments = new Hono<AppEnv>();
attachments.use(requireUser(can.manageUsers));

attachments.get("/", async (c) => {
  const { deps } = c.var;
  return c.render(<AttachmentsPage kinds={await allowedKinds(deps)} limits={deps.config.attachments} />, {
    title: c.var.i18n.t("attach.title"),
  });
});

attachments.post("/", async (c) => {
  // A box left unticked is a kind not taken; anything that is not a kind is ignored.
  const sent = await checkedValues(c, "kind");
  const kinds = KIND_NAMES.filter((k) => sent.includes(k)) as Kind[];
  await saveAllowedKinds(c.var.deps, kinds);
  const message = c.var.i18n.t(kinds.length ? "attach.saved" : "attach.savedNone");
  return done(c, message, "/admin/attachments", () => <AttachmentKindsForm kinds={kinds} />);
});
