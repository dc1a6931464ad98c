-- One writer per workflow: an update must advance `rev` by exactly one from what the writer read,
-- so a writer holding a stale copy fails instead of overwriting a newer decision.
CREATE TRIGGER `workflows_rev_guard` BEFORE UPDATE ON `workflows`
WHEN NEW.`rev` <> OLD.`rev` + 1
BEGIN
  SELECT RAISE(ABORT, 'stale workflow revision');
END;
