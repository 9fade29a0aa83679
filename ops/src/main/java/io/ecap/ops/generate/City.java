package io.ecap.ops.generate;

/** Where generated customers live and fraudsters strike from. */
record City(String name, String country, String currency, double lat, double lon, double usdPerUnit) {
    static final City[] ALL = {
        new City("Berlin", "DE", "EUR", 52.52, 13.40, 1.087),
        new City("Paris", "FR", "EUR", 48.86, 2.35, 1.087),
        new City("Madrid", "ES", "EUR", 40.42, -3.70, 1.087),
        new City("Amsterdam", "NL", "EUR", 52.37, 4.90, 1.087),
        new City("Milan", "IT", "EUR", 45.46, 9.19, 1.087),
        new City("London", "GB", "GBP", 51.51, -0.13, 1.266),
        new City("Manchester", "GB", "GBP", 53.48, -2.24, 1.266),
        new City("New York", "US", "USD", 40.71, -74.01, 1.0),
        new City("Chicago", "US", "USD", 41.88, -87.63, 1.0),
        new City("San Francisco", "US", "USD", 37.77, -122.42, 1.0),
        new City("Austin", "US", "USD", 30.27, -97.74, 1.0),
        new City("Toronto", "CA", "CAD", 43.65, -79.38, 0.730),
        new City("Sao Paulo", "BR", "BRL", -23.55, -46.63, 0.200),
        new City("Mexico City", "MX", "MXN", 19.43, -99.13, 0.0571),
        new City("Tokyo", "JP", "JPY", 35.68, 139.69, 0.00667),
        new City("Singapore", "SG", "SGD", 1.35, 103.82, 0.746),
        new City("Mumbai", "IN", "INR", 19.08, 72.88, 0.01205),
        new City("Sydney", "AU", "AUD", -33.87, 151.21, 0.658),
        new City("Stockholm", "SE", "SEK", 59.33, 18.07, 0.0952),
        new City("Warsaw", "PL", "PLN", 52.23, 21.01, 0.25),
        new City("Lagos", "NG", "NGN", 6.52, 3.38, 0.000667),
        new City("Johannesburg", "ZA", "ZAR", -26.20, 28.05, 0.0541),
    };

    /** Decimal places of the currency (JPY has none). */
    int exponent() {
        return java.util.Currency.getInstance(currency).getDefaultFractionDigits();
    }
}
