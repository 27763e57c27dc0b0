-- Search rows (the table and its indexes from the models; the triggers and the backfill below are
-- written by hand: Prisma's schema has no words for them).
--
-- A search read "subject ILIKE p OR description ILIKE p OR id IN (SELECT ticketId FROM Reply WHERE
-- body ILIKE p)". ILIKE lowers every row it reads (about 1 us a row, four times LIKE), and the reply
-- branch, a hashed subquery, read every reply in the desk that held the word before the first row
-- of a page: 140 ms at 200,000 replies for a word in one reply in eight. Now one row per ticket
-- holds its text in lower case, and the thread with it: a search is "own LIKE lower(p) [OR thread
-- LIKE lower(p)]" on the ticket's own row, walked in id order beside the tickets for a common word
-- (a page reads a few hundred rows), from the trigram indexes for a rare one. lower() on both sides
-- is what ILIKE does, so the matches are the same. Like SQLite's search table, the row is kept by
-- triggers, and a search cannot hold a line break (forms.ts searchText), the lines' separator.

-- DropIndex
DROP INDEX "Ticket_subject_idx";

-- DropIndex
DROP INDEX "Ticket_description_idx";

-- DropIndex
DROP INDEX "Reply_body_idx";

-- CreateTable
CREATE TABLE "TicketSearch" (
    "id" INTEGER NOT NULL,
    "own" TEXT NOT NULL,
    "thread" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "TicketSearch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketSearch_own_idx" ON "TicketSearch" USING GIN ("own" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "TicketSearch_thread_idx" ON "TicketSearch" USING GIN ("thread" gin_trgm_ops);

-- A ticket's own text: on insert, and on an update that changes it (statement triggers: a batch of
-- tickets is one INSERT ... SELECT).
CREATE FUNCTION "ticket_search_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TicketSearch" ("id", "own")
  SELECT n."id", lower(n."subject" || E'\n' || n."description") FROM inserted n;
  RETURN NULL;
END $$;

CREATE FUNCTION "ticket_search_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "TicketSearch" s SET "own" = lower(n."subject" || E'\n' || n."description")
  FROM updated n JOIN previous o ON o."id" = n."id"
  WHERE s."id" = n."id" AND (n."subject" IS DISTINCT FROM o."subject" OR n."description" IS DISTINCT FROM o."description");
  RETURN NULL;
END $$;

CREATE FUNCTION "ticket_search_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "TicketSearch" s USING deleted o WHERE s."id" = o."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "Ticket_search_insert" AFTER INSERT ON "Ticket"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "ticket_search_inserted"();
CREATE TRIGGER "Ticket_search_update" AFTER UPDATE ON "Ticket"
  REFERENCING OLD TABLE AS previous NEW TABLE AS updated FOR EACH STATEMENT EXECUTE FUNCTION "ticket_search_updated"();
CREATE TRIGGER "Ticket_search_delete" AFTER DELETE ON "Ticket"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "ticket_search_deleted"();

-- TRUNCATE fires no delete trigger: the search rows go with the tickets, or a ticket numbered
-- again after RESTART IDENTITY would be found by the words of the one it replaced.
CREATE FUNCTION "ticket_search_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "TicketSearch";
  RETURN NULL;
END $$;

CREATE TRIGGER "Ticket_search_truncate" AFTER TRUNCATE ON "Ticket"
  FOR EACH STATEMENT EXECUTE FUNCTION "ticket_search_truncated"();

-- The thread: a new reply is added at its end (it has the highest id); a changed or deleted reply
-- writes its ticket's thread again, oldest reply first.
CREATE FUNCTION "ticket_search_thread"(ids integer[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "TicketSearch" s
  SET "thread" = coalesce((SELECT lower(string_agg(r."body", E'\n' ORDER BY r."id")) FROM "Reply" r WHERE r."ticketId" = s."id"), '')
  WHERE s."id" = ANY (ids);
$$;

CREATE FUNCTION "reply_search_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "TicketSearch" s
  SET "thread" = CASE WHEN s."thread" = '' THEN a."text" ELSE s."thread" || E'\n' || a."text" END
  FROM (SELECT n."ticketId", lower(string_agg(n."body", E'\n' ORDER BY n."id")) AS "text"
        FROM inserted n GROUP BY n."ticketId") a
  WHERE s."id" = a."ticketId";
  RETURN NULL;
END $$;

CREATE FUNCTION "reply_search_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ticket_search_thread"(ARRAY(
    SELECT x FROM updated n JOIN previous o ON o."id" = n."id",
      LATERAL (VALUES (n."ticketId"), (o."ticketId")) v(x)
    WHERE n."body" IS DISTINCT FROM o."body" OR n."ticketId" <> o."ticketId"));
  RETURN NULL;
END $$;

CREATE FUNCTION "reply_search_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ticket_search_thread"(ARRAY(SELECT DISTINCT o."ticketId" FROM deleted o));
  RETURN NULL;
END $$;

CREATE TRIGGER "Reply_search_insert" AFTER INSERT ON "Reply"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "reply_search_inserted"();
CREATE TRIGGER "Reply_search_update" AFTER UPDATE ON "Reply"
  REFERENCING OLD TABLE AS previous NEW TABLE AS updated FOR EACH STATEMENT EXECUTE FUNCTION "reply_search_updated"();
CREATE TRIGGER "Reply_search_delete" AFTER DELETE ON "Reply"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "reply_search_deleted"();

-- What is already there.
INSERT INTO "TicketSearch" ("id", "own", "thread")
SELECT t."id", lower(t."subject" || E'\n' || t."description"),
       coalesce((SELECT lower(string_agg(r."body", E'\n' ORDER BY r."id")) FROM "Reply" r WHERE r."ticketId" = t."id"), '')
FROM "Ticket" t;
