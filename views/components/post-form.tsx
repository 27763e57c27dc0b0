import type { Child } from "hono/jsx";
import { Csrf } from "./csrf.js";

type Props = {
  action: string;
  /** The id of the element the answer replaces with htmx. */
  target: string;
  id?: string;
  class?: string;
  /** The form carries files: multipart/form-data, for the browser and for htmx alike. */
  files?: boolean;
  children?: Child;
};

/**
 * A form that posts to `action` with this session's CSRF token: a plain POST without JavaScript,
 * and with htmx the answer replaces `#target` in place. The server checks the fields, so the
 * browser's own validation stays out of the way of our messages. While htmx sends it, its button
 * is disabled and says "Sending…" (app.css), so a slow link never looks frozen or invites a second click.
 */
export function PostForm({ action, target, id, class: className, files, children }: Props) {
  return (
    <form
      id={id}
      class={className}
      method="post"
      action={action}
      enctype={files ? "multipart/form-data" : undefined}
      data-hx-post={action}
      data-hx-target={`#${target}`}
      data-hx-swap="outerHTML"
      data-hx-disable="find button"
      novalidate
    >
      <Csrf />
      {children}
    </form>
  );
}
