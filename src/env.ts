import type { Context } from "hono";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Db } from "./db/prisma.js";
import type { Assets } from "./http/assets.js";
import type { I18n } from "./i18n/translate.js";
import type { ChangeSubscriber } from "./tickets/events.js";
import type { TicketDetail } from "./tickets/find.js";
import type { Statuses } from "./tickets/statuses.js";
import type { Role } from "./users/authorization.js";
import type { Person } from "./users/people.js";
import type { SessionCache } from "./users/session-cache.js";

export type Deps = {
  config: Config;
  db: Db;
  clock: Clock;
  assets: Assets;
  /** Flipped on SIGTERM so /readyz sends traffic elsewhere while requests finish. */
  state: { draining: boolean };
  log: (line: Record<string, unknown>) => void;
  /** The signed-in people of live sessions, kept in this process (users/session-cache.ts). */
  sessions: SessionCache;
  /** What happens with every ticket change, in its transaction (src/subscribers.ts). */
  subscribers: readonly ChangeSubscriber[];
};

export type CurrentUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** Staff: the queue view they start at (a query string), if they chose one. */
  startView?: string | null;
  /** Their chosen language (/account), if they chose one. */
  language?: string | null;
  /** They sign in with a second factor (an authenticator app). */
  twoFactor?: boolean;
};

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    secureHeadersNonce?: string;
    user: CurrentUser | null;
    /** A browser following one ticket without an account (`/status`); on that ticket's pages `user` is its requester. */
    guest: { ticketId: number } | null;
    sessionId: string | null;
    csrfToken: string;
    flash: string | null;
    /** The language of this answer and its way of saying things (src/i18n). */
    i18n: I18n;
    /** The desk's statuses and their kinds (tickets/statuses.ts), read once per request from the cache. */
    statuses: Statuses;
    /** The ticket of a /tickets/:id/... URL, set by ticketOfUrl. */
    ticket: TicketDetail;
    /** The person of an /admin/users/:id/... URL, set by personOfUrl. */
    person: Person;
  };
};

export type Ctx = Context<AppEnv>;
