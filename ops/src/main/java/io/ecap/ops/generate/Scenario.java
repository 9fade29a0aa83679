package io.ecap.ops.generate;

/** The fraud patterns the generator mixes into normal traffic; each fraud transaction carries its scenario. */
public enum Scenario {
    /** Many tiny payments on a stolen card to check that it works. */
    CARD_TESTING,
    /** A known customer's account used from a new device in another country for high amounts. */
    ACCOUNT_TAKEOVER,
    /** A card used far from where it was used minutes before. */
    IMPOSSIBLE_TRAVEL,
    /** A scripted burst of purchases on one account. */
    BOT_BURST,
    /** A stolen card spending large amounts at many merchants within hours. */
    SPENDING_SPREE,
    /** One device cycling through many stolen cards. */
    CARD_FARM,
    /** A merchant pushing many high payments from fresh cards. */
    MERCHANT_COLLUSION
}
