-- Drops every token's expiry date: tokens stop expiring. Names renamed on the way up stay.
DROP INDEX IF EXISTS api_tokens_live_name_idx;
ALTER TABLE api_tokens DROP COLUMN IF EXISTS expires_at;
