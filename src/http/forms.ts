import type { Context } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { checkFiles, type Upload } from "../attachments/files.js";
import type { AppEnv } from "../env.js";
import { type I18n, isMessageKey, msg, type Values } from "../i18n/translate.js";
import { dbInt } from "./ids.js";
import { readMultipart } from "./multipart.js";

export type FormValues = Record<string, string>;
export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * The posted form checked against its schema. Fields the schema does not name (role, status,
 * requesterId...) are dropped; on failure each field gets its first message and the input is kept.
 */
export async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.infer<S>>> {
  const values = await formValues(c);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: FieldErrors = {};
  const { t } = c.var.i18n;
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issueMessage(t, issue);
  return { ok: false, errors, values };
}

/**
 * An issue in the person's language: schemas name catalog keys as their messages (`msg(...)`),
 * with the limits zod puts on the issue ({min}, {max}) and any `params` of a custom check.
 */
function issueMessage(t: I18n["t"], issue: z.core.$ZodIssue): string {
  if (!isMessageKey(issue.message)) return t("form.invalid");
  const limits = issue as { minimum?: number | bigint; maximum?: number | bigint; params?: Values };
  return t(issue.message, { min: Number(limits.minimum), max: Number(limits.maximum), ...limits.params });
}

/** Passwords are never stored or shown, so they keep every character, and a NUL is refused by the rules, not dropped. */
const PASSWORD_FIELDS = new Set(["password", "current_password", "new_password"]);

const isMultipart = (c: Context<AppEnv>) =>
  (c.req.header("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");

/**
 * The posted form, every value of every field: a multipart body read as a bounded stream
 * (http/multipart.ts, shared with the CSRF check), any other form by Hono (its size is BODY_LIMIT_KB).
 */
export async function formBody(
  c: Context<AppEnv>,
): Promise<{ fields: Record<string, string[]>; files: Record<string, File[]> }> {
  if (isMultipart(c)) return readMultipart(c);
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(body))
    fields[key] = [value].flat().filter((v): v is string => typeof v === "string");
  return { fields, files: {} };
}

/** The text fields of the posted form (files and the rest dropped), without NUL characters. */
export async function formValues(c: Context<AppEnv>): Promise<FormValues> {
  const { fields } = await formBody(c);
  const values: FormValues = {};
  // A field sent twice counts as its last value, as Hono's parseBody has it.
  for (const [key, sent] of Object.entries(fields)) {
    const value = sent.at(-1);
    if (value !== undefined) values[key] = PASSWORD_FIELDS.has(key) ? value : withoutNul(value);
  }
  return values;
}

/**
 * NUL characters removed: they mean nothing in text people type, and PostgreSQL refuses to store
 * them (SQLite would keep them), so one database would answer 500 where the other saved.
 */
export const withoutNul = (value: string) => value.replaceAll("\u0000", "");

/**
 * A search box or text filter of a list's query string: one line (a line break, which only a
 * hand-made URL can send, is a space: the search rows join a thread's replies with line breaks),
 * trimmed, bounded, absent if unusable.
 */
export const searchText = () =>
  z
    .string()
    .transform((value) => withoutNul(value).replace(/[\r\n]+/g, " "))
    .pipe(z.string().trim().max(200))
    .optional()
    .catch(undefined);

/** The text fields of forms, each with its own messages (`field.<name>.missing`, `.short`, `.long`). */
export type TextField = "name" | "subject" | "description" | "reply" | "note";

/**
 * Without the characters that reorder what follows them (embeddings, overrides and isolates,
 * U+202A-202E and U+2066-2069): in a subject or a name shown in a list, "Invoice \u202Efdp.exe"
 * would read as "Invoice exe.pdf". Text in a paragraph of its own keeps them (dir="auto" isolates it).
 */
export const withoutBidiControls = (value: string) => value.replace(/[\u202A-\u202E\u2066-\u2069]/g, "");

/** Fields shown on one line among others (lists, headings, mail subjects): no direction controls. */
const ONE_LINE: ReadonlySet<TextField> = new Set(["subject", "name"]);

/** A string field, trimmed, with messages a person understands. */
export function text(z_: typeof z, field: TextField, min: number, max: number) {
  const missing = msg(`field.${field}.missing`);
  return (
    z_
      .string({ error: missing })
      .overwrite((value) => (ONE_LINE.has(field) ? withoutBidiControls(value) : value))
      .trim()
      // Empty says "Enter a subject" (what to do), not "needs at least 3 characters".
      .min(1, missing)
      .min(min, msg(`field.${field}.short`))
      .max(max, msg(`field.${field}.long`))
  );
}

/** A list's status filter: "active" or a status's name (one the desk does not have finds nothing). */
export const statusFilter = () => z.string().trim().min(1).max(40).optional().catch(undefined);

/** The ticket version a change form carries (what the person saw); absent or unusable means "do not check". */
export const seenVersion = () => dbInt().optional().catch(undefined);

/**
 * The last history event a reply form's page showed (0: a ticket with no history yet); absent or
 * unusable means "do not check", as for a version.
 */
export const seenMark = () =>
  z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number)
    .pipe(z.number().max(2_147_483_647))
    .optional()
    .catch(undefined);

/** An email address field: trimmed, lower case, at most 254 characters. */
export const emailField = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .max(254, msg("field.email.long"))
    .pipe(z.email(msg("field.email.invalid")));

/**
 * The files chosen in a form's file input (`files`): an input left empty still sends one part, with
 * no name and no bytes, which is not a file.
 */
export async function formFiles(c: Context<AppEnv>, field = "files"): Promise<{ name: string; bytes: Uint8Array }[]> {
  if (!isMultipart(c)) return [];
  const parts = ((await formBody(c)).files[field] ?? []).filter((p) => p.name !== "" || p.size > 0);
  return Promise.all(parts.map(async (p) => ({ name: p.name, bytes: new Uint8Array(await p.arrayBuffer()) })));
}

/**
 * A form that takes files: its fields checked against the schema and its files checked
 * (attachments/files.ts), one answer for both, so the person sees every problem at once and
 * nothing is saved until all of it passes.
 */
export async function readFormWithFiles<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): Promise<FormResult<z.infer<S> & { files: Upload[] }>> {
  const form = await readForm(c, schema);
  const files = await checkFiles(c.var.deps, c.var.i18n, await formFiles(c));
  if (form.ok && !("error" in files)) return { ...form, data: Object.assign({}, form.data, { files: files.uploads }) };
  const errors = { ...(form.ok ? {} : form.errors), ...("error" in files ? { files: files.error } : {}) };
  return { ok: false, errors, values: form.values };
}

/** The ticked values of a set of checkboxes posted under one name (none ticked: none posted). */
export async function checkedValues(c: Context<AppEnv>, name: string): Promise<string[]> {
  return (await formBody(c)).fields[name] ?? [];
}
