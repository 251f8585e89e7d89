package dev.awshitbreaks.services.stillbilling;

import com.fasterxml.jackson.databind.JsonNode;

/** Test access to the package's row builders (as the discovery gives them to the estimator: kind in the basis). */
public final class AnalyticsTestAccess {
    private AnalyticsTestAccess() {
    }

    /** A domain's row as DescribeDomains shows it: its type and the cost basis the estimator gets. */
    public record Row(String type, java.util.Map<String, Object> costBasis) {
    }

    public static Row openSearchDomain(String region, JsonNode domainStatus) {
        StillBilling s = AnalyticsListers.openSearchDomain(region, domainStatus);
        return new Row(s.type(), StillBillingDiscovery.basis(s));
    }
}
