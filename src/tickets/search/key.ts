import { readRows, underlying } from "../../db/reads.js";
import type { Deps } from "../../env.js";
import { Prisma } from "../../generated/sqlite/client.js";
import type { TicketFilters } from "../filters.js";

// A trigram index answers a phrase by reading the posting list of every three letters in it. When
// some of them are in nearly every ticket ("tic", "ick", "cke", "ket" of a word every ticket
// holds), that is the whole desk for every such search: at 1,000,000 tickets PostgreSQL read 2,463
// index pages (155 ms) to find the one ticket with "ticket 777.". Looked up by its rare word
// instead ("777.": a thousand candidates at that size, 3 ms for the page), each candidate then
// checked for the whole phrase, the answer is the same. Which words are rare comes from a sample of the desk's own search
// text, taken once in a while per process (no statistics of the index say it).

/** Tickets read for the sample, drawn over the desk's ids. */
export const SAMPLE_SIZE = 1000;
/** A sample older than this is taken again (in the background; the old one serves meanwhile). */
export const SAMPLE_MAX_AGE_MS = 60 * 60_000;

/** How many of the sampled tickets hold each trigram (lower case), and of how many. */
export type Shares = { sampled: number; holding: Map<string, number>; at: number };

/** The trigrams of a text as a trigram index sees them: every three characters in a row, lower case. */
export function trigramsOf(text: string): Set<string> {
  const chars = [...text.toLowerCase()];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(""));
  return out;
}

/** The share of sampled tickets holding a trigram (0 to 1). */
const shareOf = (shares: Shares, trigram: string) => (shares.holding.get(trigram) ?? 0) / Math.max(1, shares.sampled);

/** What looking a text up costs an index: the share of the desk each of its trigrams' lists holds, summed. */
const costOf = (shares: Shares, text: string) => [...trigramsOf(text)].reduce((sum, g) => sum + shareOf(shares, g), 0);

/** A part whose trigrams cost a quarter of the whole phrase's or less is worth looking up alone... */
const SAVING = 4;
/** ...when the whole phrase costs at least this (a few lists of most of the desk)... */
const WORTH = 1.5;
/**
 * ...and the part is rare: one of its trigrams in at most this share of the desk (5 tickets of the
 * 1,000 sampled). Every ticket it finds is read to check the phrase: a common part would make the
 * search read a good share of the desk where the whole phrase's index found none.
 */
export const RARE_SHARE = 0.005;

/**
 * The part of a search phrase to look up in the index (a word of it, three characters or more),
 * or undefined for the phrase itself: a rare word, when the phrase's other words are common in
 * the desk. The whole phrase is then checked on each ticket the word finds.
 */
export function keyOf(q: string, shares: Shares | undefined): string | undefined {
  if (!shares?.sampled) return undefined;
  const words = q.split(/\s+/).filter((w) => [...w].length >= 3);
  if (words.length < 2) return undefined;
  const whole = costOf(shares, q);
  if (whole < WORTH) return undefined;
  let best: { word: string; cost: number } | undefined;
  for (const word of words) {
    const rarest = Math.min(...[...trigramsOf(word)].map((g) => shareOf(shares, g)));
    if (rarest > RARE_SHARE) continue;
    const cost = costOf(shares, word);
    if (!best || cost < best.cost) best = { word, cost };
  }
  return best && best.cost * SAVING <= whole ? best.word : undefined;
}

/** The sample's texts: PostgreSQL's search rows; SQLite's as its search index is fed (the TicketSearchText view). */
const SAMPLE_TEXT = {
  postgresql: Prisma.raw(
    `SELECT coalesce(ts.own, '') || ' ' || coalesce(ts.thread, '') AS text FROM "TicketSearch" ts`,
  ),
  sqlite: Prisma.raw(
    `SELECT s.subject || ' ' || s.description || ' ' || coalesce(s.replies, '') || ' ' || coalesce(s.notes, '') AS text FROM "TicketSearchText" s`,
  ),
};

/** Reads the sample: up to SAMPLE_SIZE tickets from the first id to the last. */
async function sample(deps: Deps, provider: "sqlite" | "postgresql", now: number): Promise<Shares> {
  const [span] = await readRows<{ lo: number | bigint | null; hi: number | bigint | null }>(
    deps.db,
    Prisma.sql`SELECT (SELECT MIN(id) FROM "Ticket") AS lo, (SELECT MAX(id) FROM "Ticket") AS hi`,
  );
  const [lo, hi] = [Number(span?.lo ?? 0), Number(span?.hi ?? 0)];
  const holding = new Map<string, number>();
  if (!hi) return { sampled: 0, holding, at: now };
  // Every ticket of a small desk; else ids drawn at random (evenly spaced ones can fall in step
  // with a pattern of the desk's, and see only some of its words).
  const width = hi - lo + 1;
  const ids =
    width <= SAMPLE_SIZE
      ? Array.from({ length: width }, (_, i) => lo + i)
      : [...new Set(Array.from({ length: SAMPLE_SIZE }, () => lo + Math.floor(Math.random() * width)))];
  const idColumn = Prisma.raw(provider === "postgresql" ? "ts.id" : "s.id");
  const rows = await readRows<{ text: string | null }>(
    deps.db,
    Prisma.sql`${SAMPLE_TEXT[provider]} WHERE ${idColumn} IN (${Prisma.join(ids)})`,
  );
  for (const { text } of rows) for (const g of trigramsOf(text ?? "")) holding.set(g, (holding.get(g) ?? 0) + 1);
  return { sampled: rows.length, holding, at: now };
}

const samples = new WeakMap<object, { shares?: Shares; taking?: Promise<Shares | undefined> }>();

/**
 * The desk's trigram shares for this process: taken at the first search (awaited), taken again in
 * the background once older than SAMPLE_MAX_AGE_MS. A sample that fails leaves none (every search
 * is then looked up whole, as before).
 */
export async function sharesOf(deps: Deps, provider: "sqlite" | "postgresql"): Promise<Shares | undefined> {
  // One sample per client: an export's view of it (its own connection) shares the client's.
  const client = underlying(deps.db);
  const held = samples.get(client) ?? {};
  samples.set(client, held);
  const now = deps.clock.now().getTime();
  const take = () => {
    held.taking ??= sample(deps, provider, now)
      .then((shares) => (held.shares = shares))
      .catch(() => undefined)
      .finally(() => {
        held.taking = undefined;
      });
    return held.taking;
  };
  if (!held.shares) return take();
  if (now - held.shares.at > SAMPLE_MAX_AGE_MS) void take();
  return held.shares;
}

/** Takes the sample now and waits for it (the tests, after filling a desk). */
export async function takeSample(deps: Deps, provider: "sqlite" | "postgresql"): Promise<Shares> {
  const shares = await sample(deps, provider, deps.clock.now().getTime());
  samples.set(underlying(deps.db), { shares });
  return shares;
}

const ASCII = /^[\x20-\x7e]*$/;

/** Searches looked up by a part of their phrase (keyOf): a test proves the way runs. */
export const keyedSearches = { n: 0 };

/**
 * The filters with the part of their search to look up (`searchKey`) when it is not the whole
 * phrase. On SQLite only for a phrase in ASCII (its lower(), which checks the phrase, folds no
 * other letters; search/sqlite.ts).
 */
export async function withSearchKey(
  deps: Deps,
  provider: "sqlite" | "postgresql",
  f: TicketFilters,
): Promise<TicketFilters> {
  if (!f.q || f.searchKey || (provider === "sqlite" && !ASCII.test(f.q))) return f;
  const key = keyOf(f.q, await sharesOf(deps, provider));
  if (!key) return f;
  keyedSearches.n++;
  return { ...f, searchKey: key };
}
