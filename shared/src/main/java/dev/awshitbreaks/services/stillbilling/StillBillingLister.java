package dev.awshitbreaks.services.stillbilling;

import java.util.List;

/**
 * Lists, read-only, the resources of one or a few {@link StillBillingKind}s in one region: one listing call per page
 * where the API allows, every page. It never changes anything; an AWS error is thrown (the discovery reports it).
 */
public interface StillBillingLister {
    /** What it lists, for an error's message ("NAT gateways"). */
    String what();

    List<StillBilling> list(String region);

    /** A lister of this name whose listing is {@code list}. */
    static StillBillingLister of(String what, java.util.function.Function<String, List<StillBilling>> list) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return what;
            }

            @Override
            public List<StillBilling> list(String region) {
                return list.apply(region);
            }
        };
    }
}
