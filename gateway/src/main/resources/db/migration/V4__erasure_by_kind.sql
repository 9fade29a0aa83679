-- Erasure of cards, devices, IP addresses and merchants (docs/RELIABILITY.md, "Erasure"): as V3 did for customers,
-- each case keeps the hash (the engine's IdHash) of every id it names, so that an erasure entry, which names the
-- entity by that hash only, finds the cases to delete. The case writer fills them in as it writes each case, and for
-- cases written before these columns existed, when it next starts. A case without a device or IP keeps 0 there.
ALTER TABLE ecap_cases ADD COLUMN card_hash bigint, ADD COLUMN device_hash bigint, ADD COLUMN ip_hash bigint,
    ADD COLUMN merchant_hash bigint;

CREATE INDEX ecap_cases_card_hash_idx ON ecap_cases (card_hash);
CREATE INDEX ecap_cases_device_hash_idx ON ecap_cases (device_hash);
CREATE INDEX ecap_cases_ip_hash_idx ON ecap_cases (ip_hash);
CREATE INDEX ecap_cases_merchant_hash_idx ON ecap_cases (merchant_hash);
