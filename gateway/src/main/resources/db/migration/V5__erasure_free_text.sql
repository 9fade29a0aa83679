-- Erasure reaches the analysts' free text (docs/CASES.md, "Erasure"): on the cases left, each comment and resolution
-- note that named the erased id has it replaced by "[erased]" in the erasure's transaction; the erasure's row says how
-- many were changed (0 for the erasures carried out before this column existed).
ALTER TABLE ecap_erasures ADD COLUMN texts_redacted integer NOT NULL DEFAULT 0;
