-- Case facts dated no more precisely than is known (issue 13 §3, §4). Migration 0022 gave
-- detained_on and verdict_on a precision (year, month or day); as for status entries
-- (migration 0021), the date stored is the first day of its period, and the database now
-- refuses any other: "May 2019" is 2019-05-01, never 2019-05-14 read back as a month.
--
-- A verdict cannot come before the detention only where it is known to: a verdict "in 2019"
-- (stored 2019-01-01) may follow a detention on 14 May 2019, so the check compares the end
-- of the verdict's period with the detention's first day.
ALTER TABLE cases
    ADD CONSTRAINT cases_detained_on_period_check CHECK (
        detained_on_precision = 'day'
        OR (detained_on_precision = 'month' AND detained_on = date_trunc('month', detained_on)::date)
        OR (detained_on_precision = 'year' AND detained_on = date_trunc('year', detained_on)::date)),
    ADD CONSTRAINT cases_verdict_on_period_check CHECK (
        verdict_on_precision = 'day'
        OR (verdict_on_precision = 'month' AND verdict_on = date_trunc('month', verdict_on)::date)
        OR (verdict_on_precision = 'year' AND verdict_on = date_trunc('year', verdict_on)::date)),
    DROP CONSTRAINT cases_verdict_after_detention,
    ADD CONSTRAINT cases_verdict_after_detention CHECK (
        verdict_on + CASE verdict_on_precision WHEN 'year' THEN interval '1 year' WHEN 'month' THEN interval '1 month' ELSE interval '1 day' END
        > detained_on);
