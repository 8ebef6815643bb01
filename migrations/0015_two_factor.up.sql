-- Two-factor sign-in for staff (TOTP, RFC 6238), issue 12.
ALTER TABLE users
    -- the base32 TOTP secret; NULL while the account has no two-factor sign-in
    ADD COLUMN totp_secret     text,
    -- the last 30-second step a code was accepted for: a code is accepted only for a
    -- later step, so none works twice
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
    ADD COLUMN totp_enabled_at timestamptz,
    -- SHA-256 (hex) of each unused recovery code; a used code is removed
    ADD COLUMN recovery_codes  text[] NOT NULL DEFAULT '{}';
