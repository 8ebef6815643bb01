-- The precisions stay in migration 0022's columns; only the checks go. The day-for-day
-- check comes back NOT VALID: a verdict "in 2019" after a detention in May 2019, saved
-- under 0025, stays as it is, and only new writes are held to the older rule.
ALTER TABLE cases
    DROP CONSTRAINT IF EXISTS cases_detained_on_period_check,
    DROP CONSTRAINT IF EXISTS cases_verdict_on_period_check,
    DROP CONSTRAINT IF EXISTS cases_verdict_after_detention;
ALTER TABLE cases ADD CONSTRAINT cases_verdict_after_detention CHECK (verdict_on >= detained_on) NOT VALID;
