import { z } from "zod";

/** Ids and counters are 32-bit integers in both databases; anything outside is simply not one of ours. */
export const MAX_INT = 2_147_483_647;

/** A positive 32-bit integer from a form or query, or undefined: never a number the database refuses. */
export const dbInt = () => z.coerce.number().int().min(1).max(MAX_INT);

/** The id in a URL segment, or null when it cannot name a row. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= MAX_INT ? id : null;
}
