import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { adminSql, migrate, provider, TEST_DATABASE_URL, withDatabase } from "./databases.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per run; every test file starts from a copy of it. */
export default async function setup(project: TestProject) {
  // The project's env reaches the test workers, not this process: take the provider from it.
  process.env.TEST_PROVIDER = project.config.env?.TEST_PROVIDER ?? "sqlite";
  if (provider() === "sqlite") {
    const file = join(mkdtempSync(join(tmpdir(), "hyperdesk-template-")), "template.db");
    migrate(`file:${file}`);
    project.provide("templateDatabase", file);
    return;
  }
  const name = `hyperdesk_tmpl_${process.pid}`;
  try {
    await adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await adminSql(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(`PostgreSQL is not answering at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ${error}`);
  }
  migrate(withDatabase(TEST_DATABASE_URL, name));
  project.provide("templateDatabase", name);
  return async () => {
    await adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
}
