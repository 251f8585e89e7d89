package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.services.ServiceErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ServiceKind#STILL_BILLING} target: what keeps billing in a region after a pause and cannot be paused
 * without deleting it, listed by each {@link StillBillingLister}, priced, and never changed. Every row's outcome is
 * {@code still-billing} and its reason is the hint (what a person could do about it). A lister's failure is a
 * {@code failed} row naming what could not be listed, never a silent gap: the figures then miss that kind. Prices come
 * from the engine's estimator, by the kind in each row's cost basis.
 *
 * <p>The request's tag filters choose what a pause changes; what still bills is the region's, whatever the filters
 * (docs/still-billing.md).
 */
public final class StillBillingDiscovery implements ResourcePauser {
    private final List<StillBillingLister> listers;

    public StillBillingDiscovery(AwsClients clients) {
        this(defaultListers(clients));
    }

    public StillBillingDiscovery(List<StillBillingLister> listers) {
        this.listers = List.copyOf(listers);
    }

    /** Every lister, one group per file (network and storage, the Query-protocol services, analytics and ML). */
    static List<StillBillingLister> defaultListers(AwsClients clients) {
        List<StillBillingLister> all = new ArrayList<>();
        all.addAll(NetworkStorageListers.all(clients));
        all.addAll(QueryApiListers.all(clients));
        all.addAll(AnalyticsListers.all(clients));
        return all;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.STILL_BILLING;
    }

    /** The row's cost basis with its kind, which the estimator prices by. */
    static Map<String, Object> basis(StillBilling s) {
        Map<String, Object> b = new LinkedHashMap<>(s.costBasis());
        b.put(CostBasis.STILL_BILLING_KIND, s.kind().id());
        return b;
    }

    /**
     * The region's still-billing resources, each skipped with its hint (nothing of this kind is ever eligible); the
     * engine reports them as {@code still-billing}. A lister that fails gives one resource, id {@code (what it lists)},
     * whose cost basis holds {@link CostBasis#LISTING_FAILED} and whose reason says why: the engine reports it failed.
     */
    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        List<Discovered> out = new ArrayList<>();
        for (StillBillingLister lister : listers) {
            List<StillBilling> found;
            try {
                found = lister.list(region);
            } catch (RuntimeException e) {
                out.add(new Discovered(ServiceKind.STILL_BILLING, region, "(" + lister.what() + ")", null, null, Map.of(),
                        null, "could not list " + lister.what() + ": " + ServiceErrors.describe(e)
                                + "; what they cost is missing from the figures",
                        Map.of(CostBasis.LISTING_FAILED, true)));
                continue;
            }
            for (StillBilling s : found) {
                out.add(new Discovered(ServiceKind.STILL_BILLING, region, s.id(), s.type(), s.name(), Map.of(), null,
                        s.hint(), basis(s)));
            }
        }
        return out;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        throw new IllegalStateException("still-billing resources are never changed");
    }

    /** Nothing was recorded, so nothing is resumed. */
    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> resources, boolean dryRun) {
        return List.of();
    }
}
