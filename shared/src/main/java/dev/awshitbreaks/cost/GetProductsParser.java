package dev.awshitbreaks.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the on-demand hourly USD price out of a Pricing API GetProducts response. Each {@code PriceList}
 * entry is a product document (a JSON string on the wire) whose
 * {@code terms.OnDemand.<sku.offer>.priceDimensions.<rate>.pricePerUnit.USD} carries the price; Reserved
 * terms are ignored. The answer is the one positive hourly ({@code unit} Hrs) price the documents agree
 * on: none, or several different ones (the filters matched more than one product), is no answer.
 */
public final class GetProductsParser {
    private GetProductsParser() {
    }

    /** The price list's distinct positive on-demand hourly USD prices, from a whole response body. */
    public static TreeSet<BigDecimal> hourlyPrices(String responseBody) {
        try {
            JsonNode root = Json.mapper().readTree(responseBody);
            TreeSet<BigDecimal> out = new TreeSet<>();
            JsonNode list = root.path("PriceList");
            for (JsonNode item : list) {
                JsonNode doc = item.isTextual() ? Json.mapper().readTree(item.asText()) : item;
                out.addAll(hourlyPrices(doc));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable GetProducts response: " + e.getMessage(), e);
        }
    }

    /** The next page's token, or null. */
    public static String nextToken(String responseBody) {
        try {
            JsonNode t = Json.mapper().readTree(responseBody).path("NextToken");
            return t.isTextual() && !t.asText().isEmpty() ? t.asText() : null;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable GetProducts response: " + e.getMessage(), e);
        }
    }

    static TreeSet<BigDecimal> hourlyPrices(JsonNode product) {
        TreeSet<BigDecimal> out = new TreeSet<>();
        for (Iterator<JsonNode> terms = product.path("terms").path("OnDemand").elements(); terms.hasNext();) {
            for (Iterator<JsonNode> dims = terms.next().path("priceDimensions").elements(); dims.hasNext();) {
                JsonNode dim = dims.next();
                String unit = dim.path("unit").asText("");
                JsonNode usd = dim.path("pricePerUnit").path("USD");
                if (!unit.equalsIgnoreCase("Hrs") || !usd.isTextual() && !usd.isNumber()) {
                    continue;
                }
                try {
                    BigDecimal price = new BigDecimal(usd.asText().trim());
                    if (price.signum() > 0) {
                        out.add(price.stripTrailingZeros());
                    }
                } catch (NumberFormatException e) {
                    // not a price: ignored
                }
            }
        }
        return out;
    }

    /** The single price the response agrees on, or empty when it has none or several. */
    public static Optional<BigDecimal> singleHourlyPrice(String responseBody) {
        TreeSet<BigDecimal> prices = hourlyPrices(responseBody);
        return prices.size() == 1 ? Optional.of(prices.first()) : Optional.empty();
    }
}
