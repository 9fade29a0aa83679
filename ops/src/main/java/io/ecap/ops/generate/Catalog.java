package io.ecap.ops.generate;

import java.util.SplittableRandom;

/**
 * The products customers browse and buy: skewed popularity (a few best sellers, a long tail), a category, a price
 * in US dollars and a stock level, with the updates a merchant's catalog sees (price changes, restocks, sales,
 * re-categorisation).
 */
final class Catalog {
    private static final String[] CATEGORIES = {
        "electronics", "phones", "computers", "fashion", "shoes", "home", "kitchen", "beauty", "toys", "books",
        "sports", "grocery", "garden", "gift-cards",
    };

    private final SplittableRandom random;
    private final String[] category;
    private final long[] priceCents;
    private final int[] stock;

    Catalog(final SplittableRandom random, final int products) {
        this.random = random;
        category = new String[products];
        priceCents = new long[products];
        stock = new int[products];
        for (int i = 0; i < products; i++) {
            category[i] = CATEGORIES[random.nextInt(CATEGORIES.length)];
            priceCents[i] = Math.max(99, Math.round(Math.exp(Math.log(2500) + 1.0 * random.nextGaussian())));
            stock[i] = 5 + random.nextInt(500);
        }
    }

    int size() {
        return category.length;
    }

    /** A product by popularity: product {@code i} is picked with a probability falling like a power of i. */
    int pick() {
        final double u = random.nextDouble();
        return (int) (size() * u * u * u);
    }

    static String id(final int product) {
        return "p-" + product;
    }

    /** The full record of a product, as the catalog's first update. */
    String listing(final int product, final long tsMs) {
        return json(product, tsMs, true, true, true);
    }

    /** A change to a random product: mostly stock movements, sometimes a price change, rarely a new category. */
    String randomUpdate(final long tsMs) {
        final int product = pick();
        final int roll = random.nextInt(20);
        if (roll < 12) {
            stock[product] = stock[product] < 10 ? stock[product] + 50 + random.nextInt(500)
                : Math.max(0, stock[product] - 1 - random.nextInt(10));
            return json(product, tsMs, false, true, false);
        }
        if (roll < 19) {
            final double change = 1 + (random.nextDouble() - 0.6) * 0.3;
            priceCents[product] = Math.max(99, Math.round(priceCents[product] * change));
            return json(product, tsMs, true, false, false);
        }
        category[product] = CATEGORIES[random.nextInt(CATEGORIES.length)];
        return json(product, tsMs, false, false, true);
    }

    private String json(final int product, final long tsMs, final boolean price, final boolean stockLevel,
        final boolean categoryName) {
        final StringBuilder json = new StringBuilder(128).append("{\"productId\":\"").append(id(product))
            .append("\",\"ts\":").append(tsMs);
        if (price) {
            final long cents = priceCents[product];
            json.append(",\"price\":\"").append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "")
                .append(cents % 100).append("\",\"currency\":\"USD\"");
        }
        if (stockLevel) {
            json.append(",\"stock\":").append(stock[product]);
        }
        if (categoryName) {
            json.append(",\"category\":\"").append(category[product]).append('"');
        }
        return json.append('}').toString();
    }
}
