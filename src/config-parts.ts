import { z } from "zod";

// What every part of the settings shares: the error that names a bad setting, and how a yes/no
// setting is written. src/config.ts and src/mail/config.ts both read the environment with these.

export class ConfigError extends Error {}

/** A yes/no setting: 1/true/yes or 0/false/no. */
export const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");
