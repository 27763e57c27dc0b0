-- Full-text search (written by hand: Prisma's schema has no words for these objects).
--
-- One FTS5 row per ticket (rowid = the ticket's id) with the trigram tokenizer: any substring of
-- three or more characters matches, case-folded, from an index. Columns: subject, description, the
-- public replies and the internal notes (each thread joined by line breaks, which a search box
-- cannot send); a requester's search names the first two columns, staff search all four. Rows in
-- ticket id order let a page of results be read newest first and stop after a page.
-- Contentless (the text lives once, in "Ticket" and "Reply"); contentless_delete lets the triggers
-- replace a ticket's row when any of its text changes.
-- A later migration that rebuilds "Ticket" or "Reply" (SQLite's way of altering a column) drops
-- these triggers with the old table: it must create them again (tests/tickets/list.test.ts fails if not).

CREATE VIRTUAL TABLE "TicketSearch" USING fts5(subject, description, replies, notes, content='', contentless_delete=1, tokenize='trigram');

-- What a ticket's search row holds.
CREATE VIEW "TicketSearchText" AS
SELECT t.id,
       t.subject,
       t.description,
       (SELECT group_concat(r.body, char(10)) FROM "Reply" r WHERE r."ticketId" = t.id AND r.internal = 0) AS replies,
       (SELECT group_concat(r.body, char(10)) FROM "Reply" r WHERE r."ticketId" = t.id AND r.internal = 1) AS notes
FROM "Ticket" t;

CREATE TRIGGER "Ticket_search_insert" AFTER INSERT ON "Ticket" BEGIN
  INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) VALUES (new.id, new.subject, new.description, NULL, NULL);
END;

CREATE TRIGGER "Ticket_search_update" AFTER UPDATE OF subject, description ON "Ticket" BEGIN
  DELETE FROM "TicketSearch" WHERE rowid = old.id;
  INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) SELECT * FROM "TicketSearchText" WHERE id = new.id;
END;

CREATE TRIGGER "Ticket_search_delete" AFTER DELETE ON "Ticket" BEGIN
  DELETE FROM "TicketSearch" WHERE rowid = old.id;
END;

CREATE TRIGGER "Reply_search_insert" AFTER INSERT ON "Reply" BEGIN
  DELETE FROM "TicketSearch" WHERE rowid = new."ticketId";
  INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) SELECT * FROM "TicketSearchText" WHERE id = new."ticketId";
END;

CREATE TRIGGER "Reply_search_update" AFTER UPDATE OF body, internal, "ticketId" ON "Reply" BEGIN
  DELETE FROM "TicketSearch" WHERE rowid IN (old."ticketId", new."ticketId");
  INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) SELECT * FROM "TicketSearchText" WHERE id IN (old."ticketId", new."ticketId");
END;

CREATE TRIGGER "Reply_search_delete" AFTER DELETE ON "Reply" BEGIN
  DELETE FROM "TicketSearch" WHERE rowid = old."ticketId";
  INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) SELECT * FROM "TicketSearchText" WHERE id = old."ticketId";
END;

-- Index what is already there.
INSERT INTO "TicketSearch"(rowid, subject, description, replies, notes) SELECT * FROM "TicketSearchText";
