import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { ConfigError, flag } from "./config-parts.js";
import { DEFAULT_DATABASE_URL, providerOf } from "./db/database-url.js";
import { EnvFileError, envFileLine, loadEnvFile } from "./dotenv.js";
import { LANGUAGE_CODES, type Language } from "./i18n/languages.js";
import { isTimeZone } from "./i18n/time.js";
import { type MailConfig, mailConfig, mailSchema } from "./mail/config.js";

const DEV_SECRET_FILE = "./data/dev-auth-secret";
const HOW_TO_MAKE_A_SECRET = "make one with: openssl rand -base64 32";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => providerOf(url) !== undefined, "must start with file: (SQLite) or postgresql:// (PostgreSQL)"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_SECRET: z.string().optional(),
  KIOSK_MODE: flag.default(false),
  REQUIRE_2FA_FOR_STAFF: flag.default(false),
  METRICS_TOKEN: z.string().min(16, "at least 16 characters (make one with: openssl rand -hex 24)").optional(),
  METRICS_ALLOW: z.string().optional(),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  RETENTION_REMOVES: z.enum(["tickets", "files"]).default("tickets"),
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().max(60).default("Single sign-on"),
  OIDC_SLUG: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, "lower-case letters, digits and dashes, at most 40")
    .default("sso"),
  OIDC_CREATE_PEOPLE: flag.default(false),
  OIDC_AGENT_CLAIM: z.string().optional(),
  OIDC_AGENT_VALUE: z.string().optional(),
  OIDC_TRUST_MFA: flag.default(false),
  OIDC_ALLOW_HTTP: flag.default(false),
  ASSIGN_ON_REPLY: flag.default(true),
  WEBHOOK_ALLOW_PRIVATE: flag.default(false),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(5),
  WEBHOOK_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  GUEST_TICKETS: flag.optional(),
  GUEST_TICKETS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  GUEST_TICKETS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(3),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).optional(),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|yes|no|[0-9])$/, "must be the number of proxies in front of the app (0 to 9)")
    .transform((v) => (v === "true" || v === "yes" ? 1 : v === "false" || v === "no" ? 0 : Number(v)))
    .default(0),
  BODY_LIMIT_KB: z.coerce.number().int().min(16).default(64),
  HTMX_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).max(50).default(5),
  ATTACHMENT_MAX_FILE_KB: z.coerce.number().int().min(1).default(10_240),
  ATTACHMENT_MAX_MESSAGE_KB: z.coerce.number().int().min(1).default(20_480),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(300),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  LOGIN_FAILURE_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  REGISTER_MAX_PER_HOUR: z.coerce.number().int().min(1).default(10),
  EMAIL_LINKS_PER_HOUR: z.coerce.number().int().min(1).default(5),
  BCRYPT_COST: z.coerce.number().int().min(12).max(15).default(12),
  LOG_REQUESTS: flag.default(true),
  HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(2000),
  ...mailSchema,
  DEFAULT_LANGUAGE: z.enum(LANGUAGE_CODES).default("en"),
  KIOSK_LANGUAGE: z.enum(LANGUAGE_CODES).optional(),
  TIME_ZONE: z
    .string()
    .default("UTC")
    .refine(isTimeZone, "must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York"),
});

export type Config = {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  databaseUrl: string;
  /** Where browsers reach the app; https turns on Secure, __Host- cookies and HSTS. */
  publicUrl?: string;
  secure: boolean;
  authSecret: Uint8Array;
  kiosk: boolean;
  /** Agents and admins must sign in with a second factor (REQUIRE_2FA_FOR_STAFF; admins can also turn it on). */
  require2faForStaff: boolean;
  /** Who may read /metrics: a bearer token, addresses; neither: nobody (404). */
  metrics: { token?: string; allow: string[] };
  /** Closed tickets (or their files only) are removed this many months after closing (unset: kept). */
  retention?: { months: number; removes: "tickets" | "files" };
  /** Single sign-on: the provider set by OIDC_* (if any), and whether http:// issuers are allowed (tests, a lab). */
  sso: { env?: SsoSettings; allowHttp: boolean };
  /** Tickets without an account (`/guest`), looked up by number and access code (`/status`). */
  /** An agent's public reply on an unassigned ticket assigns it to them, in the same change. */
  assignOnReply: boolean;
  /** perHour: per client address; perAddressPerHour: per email address given, from anywhere. */
  guests: { enabled: boolean; perHour: number; perAddressPerHour: number };
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** How many proxies in front of the app append to X-Forwarded-For; 0 reads the socket. */
  trustProxy: number;
  bodyLimitBytes: number;
  /** How long htmx waits for an answer without files before it gives up (a form with files waits as long as it takes). */
  htmxTimeoutMs: number;
  /** Files on a new ticket, reply or note (0 files: attachments off). */
  attachments: { maxFiles: number; maxFileBytes: number; maxMessageBytes: number };
  /** Requests a minute one API token may make (counted in the database: across instances). */
  apiRateLimit: number;
  loginMaxFailures: number;
  loginMaxFailuresPerAddress: number;
  loginMaxFailuresPerAccount: number;
  loginFailureDelayMs: number;
  loginWindowMs: number;
  registerMaxPerHour: number;
  /** Sign-in and reset links per email address per hour; four times as many per client address. */
  emailLinksPerHour: number;
  bcryptCost: number;
  logRequests: boolean;
  /** Slow clients: how long headers, a whole request and an idle keep-alive may take, and how many sockets at once. */
  server: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number };
  /** The zone every date is shown in, and the dashboard's days are counted in. */
  timeZone: string;
  /** Pages and mail in this language when nothing says which (DEFAULT_LANGUAGE). */
  defaultLanguage: Language;
  /** A kiosk's language, taken before the browser's Accept-Language (KIOSK_LANGUAGE). */
  kioskLanguage?: Language;
  mail: MailConfig;
  /**
   * Webhooks (src/webhooks): private addresses allowed (a lab, tests); how long one try may take;
   * the first retry's delay (the rest follow Standard Webhooks' schedule, scaled); how often the
   * worker looks for due deliveries. Sent by the same worker process as mail (MAIL_WORKER).
   */
  webhooks: { allowPrivate: boolean; timeoutMs: number; retryMs: number; pollMs: number };
};

export type { MailConfig };
export { ConfigError };

/** The settings of one single sign-on provider (a row of SsoProvider, or OIDC_*). */
export type SsoSettings = {
  slug: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  createPeople: boolean;
  agentClaim: string | null;
  agentValue: string | null;
  trustMfa: boolean;
};

function required(value: string | undefined, name: string, what: string): string {
  if (!value) throw new ConfigError(`Invalid configuration:\n  ${name}: required with OIDC_ISSUER (${what})`);
  return value;
}

/** Reads and checks the environment once; every problem is named with its variable and a fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every setting.`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    secure: e.PUBLIC_URL?.startsWith("https:") ?? false,
    authSecret: authSecret(e.AUTH_SECRET, e.NODE_ENV),
    kiosk: e.KIOSK_MODE,
    require2faForStaff: e.REQUIRE_2FA_FOR_STAFF,
    metrics: {
      token: e.METRICS_TOKEN,
      allow: (e.METRICS_ALLOW ?? "")
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean),
    },
    retention: e.RETENTION_MONTHS ? { months: e.RETENTION_MONTHS, removes: e.RETENTION_REMOVES } : undefined,
    sso: {
      allowHttp: e.OIDC_ALLOW_HTTP,
      env: e.OIDC_ISSUER
        ? {
            slug: e.OIDC_SLUG,
            name: e.OIDC_NAME,
            issuer: e.OIDC_ISSUER,
            clientId: required(e.OIDC_CLIENT_ID, "OIDC_CLIENT_ID", "the client id the provider gave this desk"),
            clientSecret: required(
              e.OIDC_CLIENT_SECRET,
              "OIDC_CLIENT_SECRET",
              "the client secret the provider gave this desk",
            ),
            createPeople: e.OIDC_CREATE_PEOPLE,
            agentClaim: e.OIDC_AGENT_CLAIM ?? null,
            agentValue: e.OIDC_AGENT_VALUE ?? null,
            trustMfa: e.OIDC_TRUST_MFA,
          }
        : undefined,
    },
    assignOnReply: e.ASSIGN_ON_REPLY,
    guests: {
      enabled: e.GUEST_TICKETS ?? e.KIOSK_MODE,
      perHour: e.GUEST_TICKETS_PER_HOUR,
      perAddressPerHour: e.GUEST_TICKETS_PER_ADDRESS_PER_HOUR,
    },
    sessionIdleMs: (e.SESSION_IDLE_MINUTES ?? (e.KIOSK_MODE ? 5 : 30)) * 60_000,
    sessionMaxMs: e.SESSION_MAX_HOURS * 3_600_000,
    trustProxy: e.TRUST_PROXY,
    bodyLimitBytes: e.BODY_LIMIT_KB * 1024,
    htmxTimeoutMs: e.HTMX_TIMEOUT_SECONDS * 1000,
    attachments: {
      maxFiles: e.ATTACHMENT_MAX_FILES,
      maxFileBytes: e.ATTACHMENT_MAX_FILE_KB * 1024,
      maxMessageBytes: e.ATTACHMENT_MAX_MESSAGE_KB * 1024,
    },
    apiRateLimit: e.API_RATE_LIMIT,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginFailureDelayMs: e.LOGIN_FAILURE_DELAY_MS,
    loginWindowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    registerMaxPerHour: e.REGISTER_MAX_PER_HOUR,
    emailLinksPerHour: e.EMAIL_LINKS_PER_HOUR,
    bcryptCost: e.BCRYPT_COST,
    logRequests: e.LOG_REQUESTS,
    server: {
      headersTimeoutMs: e.HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      maxConnections: e.MAX_CONNECTIONS,
    },
    timeZone: e.TIME_ZONE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    kioskLanguage: e.KIOSK_LANGUAGE,
    mail: mailConfig(e),
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
      retryMs: e.WEBHOOK_RETRY_SECONDS * 1000,
      pollMs: e.WEBHOOK_POLL_SECONDS * 1000,
    },
  };
}

/** For a process's entry point: the config, or its problems printed and exit `code`. */
/**
 * Settings that work but probably not as meant, one line each for the log at start. A desk behind
 * a TLS proxy whose PUBLIC_URL says http:// sends its cookies without Secure and __Host- and no
 * HSTS, and nothing else would say so.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const url = config.publicUrl ? new URL(config.publicUrl) : undefined;
  const local = !url || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url?.protocol === "http:" && !local && (config.trustProxy > 0 || config.env === "production"))
    warnings.push(
      `PUBLIC_URL is ${config.publicUrl} (http): cookies go without Secure and __Host-, and no HSTS is sent; if people reach the desk over https (a TLS proxy), set PUBLIC_URL=https://${url.host}`,
    );
  if (!url && config.env === "production")
    warnings.push("PUBLIC_URL is not set: links in emails name http://localhost, and cookies go without Secure");
  return warnings;
}

/**
 * An entry point's config: the settings file read first (src/dotenv.ts), which is said in one line
 * on standard error, then the environment validated; a bad setting ends the process with its message.
 */
export function loadConfigOrExit(code = 1): Config {
  try {
    console.error(envFileLine(loadEnvFile()));
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof EnvFileError)) throw error;
    console.error(error.message);
    process.exit(code);
  }
}

function authSecret(value: string | undefined, env: Config["env"]): Uint8Array {
  if (value) {
    const bytes = Buffer.from(value, "utf8");
    if (bytes.length < 32)
      throw new ConfigError(`AUTH_SECRET is ${bytes.length} bytes; it needs at least 32 (${HOW_TO_MAKE_A_SECRET}).`);
    return new Uint8Array(bytes);
  }
  if (env === "production") {
    throw new ConfigError(`AUTH_SECRET is required when NODE_ENV=production (${HOW_TO_MAKE_A_SECRET}).`);
  }
  // Development only: one random secret kept beside the SQLite file, so sessions survive restarts.
  if (!existsSync(DEV_SECRET_FILE)) {
    mkdirSync(dirname(DEV_SECRET_FILE), { recursive: true });
    writeFileSync(DEV_SECRET_FILE, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return new Uint8Array(Buffer.from(readFileSync(DEV_SECRET_FILE, "utf8").trim(), "utf8"));
}
