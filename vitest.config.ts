import { defineConfig } from "vitest/config";

const integration = ["tests/**/*.test.{ts,tsx}"];
const browser = ["tests/e2e/**"];
// Needs Dovecot (a Debian package): its own suite, `npm run test:mail`, so `npm test` needs no service.
const imap = ["tests/mail-imap/**"];
// Needs Debian's lynx: its own suite, `npm run test:lynx`.
const lynx = ["tests/lynx/**"];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: integration,
          exclude: [...browser, ...imap, ...lynx],
          globalSetup: ["tests/helpers/global-setup.ts"],
          env: { TEST_PROVIDER: "sqlite" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "pg",
          include: integration,
          exclude: [...browser, ...imap, ...lynx],
          globalSetup: ["tests/helpers/global-setup.ts"],
          env: { TEST_PROVIDER: "postgresql" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts"],
          env: { TEST_PROVIDER: "sqlite" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The same journeys in the same Chromium, on PostgreSQL.
        extends: true,
        test: {
          name: "e2e-pg",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts"],
          env: { TEST_PROVIDER: "postgresql" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "lynx",
          include: ["tests/lynx/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts"],
          env: { TEST_PROVIDER: "sqlite" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "mail",
          include: ["tests/mail-imap/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts", "tests/helpers/dovecot-setup.ts"],
          env: { TEST_PROVIDER: "sqlite" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "mail-pg",
          include: ["tests/mail-imap/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts", "tests/helpers/dovecot-setup.ts"],
          env: { TEST_PROVIDER: "postgresql" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
