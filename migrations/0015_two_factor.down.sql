-- Forgets every account's two-factor sign-in (secrets and recovery codes).
ALTER TABLE users
    DROP COLUMN recovery_codes,
    DROP COLUMN totp_enabled_at,
    DROP COLUMN totp_last_step,
    DROP COLUMN totp_secret;
