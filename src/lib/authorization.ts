import type { CurrentUser } from "../env.js";

export const ROLES = ["requester", "agent", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
export const isStaff = (user: Pick<CurrentUser, "role"> | null | undefined): boolean =>
  user?.role === "agent" || user?.role === "admin";
export const isAdmin = (user: Pick<CurrentUser, "role"> | null | undefined): boolean => user?.role === "admin";

/** The tickets a user may see at all: requesters their own, staff every ticket. */
export function ticketScope(user: CurrentUser): { requesterId?: number } {
  return isStaff(user) ? {} : { requesterId: user.id };
}

type TicketRef = { requesterId: number };

/** Deny by default: every action a route offers is named here with who may do it. */
export const can = {
  viewTicket: (user: CurrentUser, t: TicketRef) => isStaff(user) || t.requesterId === user.id,
  replyToTicket: (user: CurrentUser, t: TicketRef) => isStaff(user) || t.requesterId === user.id,
  closeTicket: (user: CurrentUser, t: TicketRef) => isStaff(user) || t.requesterId === user.id,
  reopenTicket: (user: CurrentUser, t: TicketRef) => isStaff(user) || t.requesterId === user.id,
  triageTicket: (user: CurrentUser) => isStaff(user),
  addNote: (user: CurrentUser) => isStaff(user),
  seeInternal: (user: CurrentUser) => isStaff(user),
  useQueue: (user: CurrentUser) => isStaff(user),
  manageUsers: (user: CurrentUser) => isAdmin(user),
};
