package dev.awshitbreaks.cost;

import java.util.Optional;

/** Where prices come from: the AWS Pricing API, the bundled table, or one tried before the other. */
public interface PriceBook {

    /** The price, or empty when this book does not know it (never a zero standing in for unknown). */
    Optional<Price> price(PriceQuery query);

    /** A book that knows no price. */
    static PriceBook none() {
        return q -> Optional.empty();
    }

    /** This book's answer, else the fallback's. */
    default PriceBook orElse(PriceBook fallback) {
        PriceBook first = this;
        return q -> first.price(q).or(() -> fallback.price(q));
    }
}
