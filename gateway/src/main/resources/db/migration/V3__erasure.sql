-- Erasure (docs/RELIABILITY.md, "Erasure"): an erasure entry of the journal names the entity by the hash of its id
-- (the engine's IdHash), never the id, so each case keeps the hash of its customer id beside it. The case writer
-- fills it in as it writes each case, and for cases written before this column existed, when it next starts.
ALTER TABLE ecap_cases ADD COLUMN customer_hash bigint;

CREATE INDEX ecap_cases_customer_hash_idx ON ecap_cases (customer_hash);

-- One row per erasure entry the case writer carried out, in the same transaction as what it deleted: what was asked,
-- by whom and why, and how many cases went (cases are a customer's: an erasure of another kind deletes none).
CREATE TABLE ecap_erasures (
    journal_index bigint PRIMARY KEY,
    kind text NOT NULL,
    id_hash bigint NOT NULL,
    actor text NOT NULL,
    reason text NOT NULL,
    requested_at timestamptz NOT NULL,
    cases_deleted integer NOT NULL,
    done_at timestamptz NOT NULL DEFAULT now()
);
