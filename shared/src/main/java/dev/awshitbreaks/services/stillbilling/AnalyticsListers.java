package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import java.util.List;

/** The listers of OpenSearch domains, MSK clusters, SageMaker endpoints and EMR clusters. */
final class AnalyticsListers {
    private AnalyticsListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of();
    }
}
