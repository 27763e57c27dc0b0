import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";

/** The per-session CSRF token every form posts back. */
export function Csrf() {
  const c = useRequestContext<AppEnv>();
  return <input type="hidden" name="_csrf" value={c.var.csrfToken} />;
}
