import type { CurrentUser } from "../env.js";

export const ROLES = ["requester", "agent", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
export const isStaff = (user: { role: string } | null | undefined): boolean =>
  user?.role === "agent" || user?.role === "admin";
export const isAdmin = (user: Pick<CurrentUser, "role"> | null | undefined): boolean => user?.role === "admin";

/**
 * Who may do what beyond seeing a ticket. Seeing one is the query's scope (findTicket: requesters
 * their own, staff all); replying, closing and reopening come with seeing it.
 */
export const can = {
  triageTicket: (user: CurrentUser) => isStaff(user),
  useQueue: (user: CurrentUser) => isStaff(user),
  manageUsers: (user: CurrentUser) => isAdmin(user),
};

/** Where a person starts: agents and admins at the work still to do, requesters at their own tickets. */
/** The queue view staff start at unless they chose another. */
export const DEFAULT_START_VIEW = "status=active";

/** Where a person starts: staff at their chosen queue view (else the open work), requesters at their tickets. */
export const homeOf = (user: Pick<CurrentUser, "role" | "startView">) =>
  isStaff(user) ? `/queue?${user.startView || DEFAULT_START_VIEW}` : "/tickets";
