import type { Db, Tx } from "../db/prisma.js";
import type { MessageKey } from "../i18n/translate.js";
import { isStaff, type Role } from "../users/authorization.js";

// Which emails a person gets: each kind on or off on /account; no row means the kind's default.

export const MAIL_KINDS = {
  receipt: { label: "mailkind.receipt", staffOnly: false, default: true },
  reply: { label: "mailkind.reply", staffOnly: false, default: true },
  status: { label: "mailkind.status", staffOnly: false, default: true },
  assigned: { label: "mailkind.assigned", staffOnly: true, default: true },
  requester_reply: { label: "mailkind.requesterReply", staffOnly: true, default: true },
  new_ticket: { label: "mailkind.newTicket", staffOnly: true, default: false },
} as const satisfies Record<string, { label: MessageKey; staffOnly: boolean; default: boolean }>;

export type MailKind = keyof typeof MAIL_KINDS;

/** The kinds a person with this role can choose. */
export const kindsFor = (role: Role) =>
  (Object.keys(MAIL_KINDS) as MailKind[]).filter((kind) => !MAIL_KINDS[kind].staffOnly || isStaff({ role }));

/** A person's choices, every kind they can choose, defaults filled in. */
export async function mailSettings(db: Db | Tx, user: { id: number; role: Role }): Promise<Record<MailKind, boolean>> {
  const rows = await db.mailSetting.findMany({ where: { userId: user.id } });
  const chosen = new Map(rows.map((r) => [r.kind, r.enabled]));
  return Object.fromEntries(
    kindsFor(user.role).map((kind) => [kind, chosen.get(kind) ?? MAIL_KINDS[kind].default]),
  ) as Record<MailKind, boolean>;
}

/** Whether a person wants this kind of email. */
export async function wantsMail(tx: Db | Tx, userId: number, kind: MailKind): Promise<boolean> {
  const row = await tx.mailSetting.findUnique({ where: { userId_kind: { userId, kind } } });
  return row?.enabled ?? MAIL_KINDS[kind].default;
}

/** Saves every kind a person can choose: those named in `on` are on, the rest off. */
export async function saveMailSettings(db: Db, user: { id: number; role: Role }, on: Set<string>): Promise<void> {
  await db.$transaction(
    kindsFor(user.role).map((kind) =>
      db.mailSetting.upsert({
        where: { userId_kind: { userId: user.id, kind } },
        create: { userId: user.id, kind, enabled: on.has(kind) },
        update: { enabled: on.has(kind) },
      }),
    ),
  );
}
