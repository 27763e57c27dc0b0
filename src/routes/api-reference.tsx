import { ApiReferencePage } from "../../views/api/reference.js";
import type { ApiDocument } from "../api/v1.js";
import type { Ctx } from "../env.js";

// GET /api: the API's reference as a page, drawn on the server from the same OpenAPI document as
// /api/v1/openapi.json (readable without JavaScript, in Lynx, offline once saved).
export const apiReference = (c: Ctx, document: ApiDocument) =>
  c.render(<ApiReferencePage document={document} />, { title: c.var.i18n.t("apiRef.title") });
