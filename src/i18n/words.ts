import type { Priority, STATUSES } from "../tickets/model.js";
import type { Role } from "../users/authorization.js";
import type { I18n, MessageKey } from "./translate.js";

// The stored words of a ticket (English in the database, the API and the URLs: ?status=Waiting)
// as a person reads them in their language.

type BuiltIn = (typeof STATUSES)[number];
const STATUS_KEYS: Record<BuiltIn, MessageKey> = {
  Open: "status.open",
  "In progress": "status.inProgress",
  Waiting: "status.waiting",
  Closed: "status.closed",
};
const PRIORITY_KEYS: Record<Priority, MessageKey> = {
  Low: "priority.low",
  Medium: "priority.medium",
  High: "priority.high",
  Urgent: "priority.urgent",
};

/** A status in words: the four in the reader's language, the desk's own (and an old value) as written. */
export const statusLabel = (t: I18n["t"], status: string) =>
  Object.hasOwn(STATUS_KEYS, status) ? t(STATUS_KEYS[status as BuiltIn]) : status;

export const priorityLabel = (t: I18n["t"], priority: string) =>
  Object.hasOwn(PRIORITY_KEYS, priority) ? t(PRIORITY_KEYS[priority as Priority]) : priority;

const ROLE_KEYS: Record<Role, MessageKey> = { requester: "role.requester", agent: "role.agent", admin: "role.admin" };

/** A role in words ("agent", "Agent", "وكيل"). */
export const roleLabel = (t: I18n["t"], role: string) =>
  Object.hasOwn(ROLE_KEYS, role) ? t(ROLE_KEYS[role as Role]) : role;

/** Labels named by key ({ waiting: "outbox.waiting" }) said in a language ({ waiting: "En espera" }). */
export const labelsIn = <K extends string>(t: I18n["t"], keys: Record<K, MessageKey>): Record<K, string> =>
  Object.fromEntries(Object.entries<MessageKey>(keys).map(([k, key]) => [k, t(key)])) as Record<K, string>;

/** [value, words] pairs for a select of statuses or priorities. */
export const statusOptions = (t: I18n["t"], statuses: readonly string[]) =>
  statuses.map((s) => [s, statusLabel(t, s)] as const);
export const priorityOptions = (t: I18n["t"], priorities: readonly Priority[]) =>
  priorities.map((p) => [p, priorityLabel(t, p)] as const);
