-- Substring search from an index: pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension (PostgreSQL 13+), so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Ticket_subject_idx" ON "Ticket" USING GIN ("subject" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_description_idx" ON "Ticket" USING GIN ("description" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Reply_body_idx" ON "Reply" USING GIN ("body" gin_trgm_ops);

