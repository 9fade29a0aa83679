package io.ecap.hotpath.journal;

import io.ecap.model.binary.MessageType;

/**
 * What a journal entry is. Each entry is one binary message (see {@code MessageHeader}): contract messages are
 * journaled as they are (labels, user events, product updates, customer profiles); the engine adds its own types from
 * 16 up.
 */
public final class EntryType {
    /** A transaction, the decision made for it and the feature values behind that decision. */
    public static final int SCORED = 16;
    /** A rule set going live: its full text and who loaded it. */
    public static final int RULE_SET = 17;
    /** A model going live: its full text and who loaded it. */
    public static final int MODEL = 18;
    /** Engine settings going live (entity retention): text, and who made the change. */
    public static final int SETTINGS = 19;
    /** A block or allow list change: list, kind, value, added or removed, reason, who, its stream id. */
    public static final int LIST_CHANGE = 20;
    /** A challenger rule set going live in the shadow (scored beside the live one, never deciding); empty: none. */
    public static final int SHADOW_RULE_SET = 21;
    /** A challenger model going live in the shadow; empty text: none (the shadow uses the live model). */
    public static final int SHADOW_MODEL = 22;
    /**
     * The challenger's decision on the transaction of the scored entry right before it, scored after that
     * transaction was answered (see {@link ShadowEntryFlyweight}).
     */
    public static final int SHADOW_DECISION = 23;
    /** An entity erased from the state on request: its kind and id hash, who asked and why. */
    public static final int ERASURE = 24;
    public static final int LABEL = MessageType.LABEL;
    public static final int USER_EVENT = MessageType.USER_EVENT;
    public static final int PRODUCT_UPDATE = MessageType.PRODUCT_UPDATE;
    public static final int CUSTOMER_PROFILE = MessageType.CUSTOMER_PROFILE;

    private EntryType() {
    }

    public static String name(final int type) {
        return switch (type) {
            case SCORED -> "scored";
            case RULE_SET -> "rule-set";
            case MODEL -> "model";
            case SETTINGS -> "settings";
            case LIST_CHANGE -> "list-change";
            case SHADOW_RULE_SET -> "shadow-rule-set";
            case SHADOW_MODEL -> "shadow-model";
            case SHADOW_DECISION -> "shadow-decision";
            case ERASURE -> "erasure";
            case LABEL -> "label";
            case USER_EVENT -> "user-event";
            case PRODUCT_UPDATE -> "product-update";
            case CUSTOMER_PROFILE -> "customer-profile";
            default -> "unknown(" + type + ")";
        };
    }
}
