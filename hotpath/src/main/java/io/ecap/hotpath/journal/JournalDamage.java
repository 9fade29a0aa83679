package io.ecap.hotpath.journal;

/**
 * Chronicle Queue's own words for a daily file whose index (the metadata at the start of the file that finds entries
 * by their index) is zeros or damaged, turned into a line a person can act on. Other exceptions pass unchanged.
 */
final class JournalDamage {
    /** What Chronicle says when a metadata document's header (an index array's) is zeros. */
    private static final String METADATA_NOT_READY = "Meta data not ready";

    private JournalDamage() {
    }

    /** {@code fault} named with the journal folder and what to do, if it says the queue's index is damaged. */
    static IllegalStateException named(final String journal, final IllegalStateException fault) {
        final String message = fault.getMessage();
        if (message == null || !message.startsWith(METADATA_NOT_READY)) {
            return fault;
        }
        return new IllegalStateException("the journal in " + journal + " has a daily file whose index (the queue's "
            + "own metadata near the start of the file, which finds entries by their index) is zeros or damaged ("
            + "Chronicle Queue: \"" + message + "\"), as a power loss or a bad disk can leave it; nothing was "
            + "changed. Restore the data folder from a backup (ecap restore); or move the damaged daily file (for the "
            + "engine's start, the newest) into journal-damaged beside the journal, which starts its day again: the "
            + "indices of its entries are then used again, so reset what follows the journal by index (the Kafka "
            + "publisher's topics, the lake's bronze-mark)", fault);
    }
}
