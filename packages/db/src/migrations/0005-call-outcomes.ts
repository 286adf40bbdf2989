// Calls whose outcome is unknown (the originate reached the switch, which never confirmed it): reconciliation
// records when the switch was first seen answering without listing the call, and ends it after a grace
// period. The partial index keeps the reconciler's sweep cheap however many calls the table holds.

export const callOutcomesSql = `
ALTER TABLE switchboard_calls ADD COLUMN missing_since timestamptz;
CREATE INDEX switchboard_calls_unknown ON switchboard_calls (updated_at) WHERE status = 'unknown';
`;
