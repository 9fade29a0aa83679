-- Review cases (docs/CASES.md): one row per REVIEW (and, when configured, DECLINE) decision of the journal, keyed by
-- its journal index, so that writing an entry twice is impossible (ON CONFLICT DO NOTHING). The entry is kept whole
-- as jsonb, the shape of the decisions topic and the alert feed; the columns searched on are generated from it, so
-- they can never disagree with it.

-- The event time as timestamptz. A cast from text is only STABLE (it reads TimeZone and DateStyle), and a generated
-- column needs an IMMUTABLE expression; the journal always writes ISO-8601 in UTC with a 'Z'
-- ("2026-11-24T10:15:00.000Z"), which those settings cannot change, so declaring the wrapper IMMUTABLE is true.
CREATE FUNCTION ecap_iso_utc(iso text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT iso::timestamptz $$;

CREATE TABLE ecap_cases (
    journal_index bigint PRIMARY KEY,
    entry jsonb NOT NULL,
    txn_id text GENERATED ALWAYS AS (entry #>> '{decision,txnId}') STORED,
    decision text GENERATED ALWAYS AS (entry #>> '{decision,decision}') STORED,
    score integer GENERATED ALWAYS AS ((entry #>> '{decision,score}')::integer) STORED,
    customer_id text GENERATED ALWAYS AS (entry #>> '{transaction,customerId}') STORED,
    card_id text GENERATED ALWAYS AS (entry #>> '{transaction,cardId}') STORED,
    merchant_id text GENERATED ALWAYS AS (entry #>> '{transaction,merchantId}') STORED,
    device_id text GENERATED ALWAYS AS (entry #>> '{transaction,deviceId}') STORED,
    ip text GENERATED ALWAYS AS (entry #>> '{transaction,ip}') STORED,
    amount numeric GENERATED ALWAYS AS ((entry #>> '{transaction,amount}')::numeric) STORED,
    currency text GENERATED ALWAYS AS (entry #>> '{transaction,currency}') STORED,
    event_time timestamptz GENERATED ALWAYS AS (ecap_iso_utc(entry #>> '{transaction,ts}')) STORED,
    -- the life of a case; only OPEN is written by ECAP today (the case API will move cases on)
    status text NOT NULL DEFAULT 'OPEN'
        CONSTRAINT ecap_cases_status CHECK (status IN ('OPEN', 'IN_REVIEW', 'CONFIRMED_FRAUD', 'LEGITIMATE')),
    opened_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ecap_cases_status_idx ON ecap_cases (status);
CREATE INDEX ecap_cases_merchant_idx ON ecap_cases (merchant_id);
CREATE INDEX ecap_cases_customer_idx ON ecap_cases (customer_id);
CREATE INDEX ecap_cases_card_idx ON ecap_cases (card_id);
CREATE INDEX ecap_cases_score_idx ON ecap_cases (score);

-- Where each named journal tailer stopped: the last journal index whose effects are committed with it, in the same
-- transaction.
CREATE TABLE ecap_tailer_position (
    name text PRIMARY KEY,
    journal_index bigint NOT NULL
);
