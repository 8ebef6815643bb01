-- API tokens expire, and an account's live tokens have distinct names, so that
-- `whereas user revoke-token --name N` revokes exactly one.

-- Tokens made before this migration had no expiry: they get 90 days from now (the default
-- for new tokens), so upgrading stops no script at once.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = now() + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- Live tokens sharing a name keep working; all but the newest are renamed "NAME #ID" so
-- that each can be revoked alone.
UPDATE api_tokens t SET name = t.name || ' #' || t.id
WHERE t.revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM api_tokens o
              WHERE o.user_id = t.user_id AND o.name = t.name AND o.revoked_at IS NULL AND o.id > t.id);

-- An expired token counts as live here until it is retired: making a new token under its
-- name first marks it revoked at the moment it expired (see CreateAPIToken).
CREATE UNIQUE INDEX api_tokens_live_name_idx ON api_tokens (user_id, name) WHERE revoked_at IS NULL;
