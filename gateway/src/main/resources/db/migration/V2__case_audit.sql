-- The case API (docs/CASES.md): who works a case, how it ended, and every change made to it.

-- The e-mail hash (transactions carry a hash of the address, never the address), searchable like the other entities.
ALTER TABLE ecap_cases
    ADD COLUMN email text GENERATED ALWAYS AS (entry #>> '{transaction,email}') STORED,
    ADD COLUMN assignee text,
    ADD COLUMN updated_at timestamptz;

CREATE INDEX ecap_cases_device_idx ON ecap_cases (device_id);
CREATE INDEX ecap_cases_ip_idx ON ecap_cases (ip);
CREATE INDEX ecap_cases_email_idx ON ecap_cases (email);
CREATE INDEX ecap_cases_opened_idx ON ecap_cases (opened_at);

-- One row per change: assign, comment, resolve. Comments live here too (action 'comment', details {"text": ...}):
-- a comment is a change like any other, with its author and time, and is never edited.
CREATE TABLE ecap_case_audit (
    id bigserial PRIMARY KEY,
    journal_index bigint NOT NULL REFERENCES ecap_cases (journal_index),
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    action text NOT NULL CONSTRAINT ecap_case_audit_action CHECK (action IN ('assign', 'comment', 'resolve')),
    details jsonb NOT NULL
);

CREATE INDEX ecap_case_audit_case_idx ON ecap_case_audit (journal_index, id);
