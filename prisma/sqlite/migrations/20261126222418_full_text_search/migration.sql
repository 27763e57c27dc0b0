-- Full-text search (written by hand: Prisma's schema has no words for these objects).
-- FTS5 with the trigram tokenizer matches any substring of three or more characters, case-folded,
-- from an index: a search costs the same at 200,000 tickets as at 1,000. External content: the text
-- lives once, in "Ticket" and "Reply"; the triggers keep the index in step with every write.
-- A later migration that rebuilds "Ticket" or "Reply" (SQLite's way of altering a column) drops
-- these triggers with the old table: it must create them again (tests/tickets/search.test.ts fails if not).

CREATE VIRTUAL TABLE "TicketSearch" USING fts5(subject, description, content='Ticket', content_rowid='id', tokenize='trigram');

CREATE TRIGGER "Ticket_search_insert" AFTER INSERT ON "Ticket" BEGIN
  INSERT INTO "TicketSearch"(rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;

CREATE TRIGGER "Ticket_search_delete" AFTER DELETE ON "Ticket" BEGIN
  INSERT INTO "TicketSearch"("TicketSearch", rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
END;

CREATE TRIGGER "Ticket_search_update" AFTER UPDATE OF subject, description ON "Ticket" BEGIN
  INSERT INTO "TicketSearch"("TicketSearch", rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
  INSERT INTO "TicketSearch"(rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;

-- Replies and internal notes, searched by staff; "ticketId" is read back, never matched.
CREATE VIRTUAL TABLE "ReplySearch" USING fts5(body, "ticketId" UNINDEXED, content='Reply', content_rowid='id', tokenize='trigram');

CREATE TRIGGER "Reply_search_insert" AFTER INSERT ON "Reply" BEGIN
  INSERT INTO "ReplySearch"(rowid, body, "ticketId") VALUES (new.id, new.body, new."ticketId");
END;

CREATE TRIGGER "Reply_search_delete" AFTER DELETE ON "Reply" BEGIN
  INSERT INTO "ReplySearch"("ReplySearch", rowid, body, "ticketId") VALUES ('delete', old.id, old.body, old."ticketId");
END;

CREATE TRIGGER "Reply_search_update" AFTER UPDATE OF body, "ticketId" ON "Reply" BEGIN
  INSERT INTO "ReplySearch"("ReplySearch", rowid, body, "ticketId") VALUES ('delete', old.id, old.body, old."ticketId");
  INSERT INTO "ReplySearch"(rowid, body, "ticketId") VALUES (new.id, new.body, new."ticketId");
END;

-- Index what is already there.
INSERT INTO "TicketSearch"("TicketSearch") VALUES ('rebuild');
INSERT INTO "ReplySearch"("ReplySearch") VALUES ('rebuild');
