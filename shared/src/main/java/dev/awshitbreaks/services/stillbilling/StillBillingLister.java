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
}
