package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The listers of EBS volumes, public IPv4 addresses, NAT gateways, interface VPC endpoints, EKS control planes,
 * database storage and Kinesis provisioned shards.
 */
final class NetworkStorageListers {
    private NetworkStorageListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of(natGateways(clients));
    }

    /**
     * NAT gateways that are pending or available (AWS bills each hour a NAT gateway is provisioned, whatever its
     * traffic: VPC pricing). One DescribeNatGateways call per page.
     */
    static StillBillingLister natGateways(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "NAT gateways";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                for (NatGateway n : clients.ec2(region).describeNatGatewaysPaginator(b -> b.maxResults(1000)
                        .filter(Filter.builder().name("state").values("pending", "available").build())).natGateways()) {
                    String connectivity = n.connectivityTypeAsString() == null ? "public" : n.connectivityTypeAsString();
                    out.add(new StillBilling(StillBillingKind.NAT_GATEWAY, region, n.natGatewayId(), nameTag(n.tags()),
                            connectivity + " in " + n.vpcId(), Map.of(),
                            "bills per hour while it exists, plus per GB processed; if nothing in " + n.vpcId()
                                    + " needs the internet while paused, delete it and release its Elastic IP, and"
                                    + " create it again (routes included) before resuming"));
                }
                return out;
            }
        };
    }

    static String nameTag(List<Tag> tags) {
        return tags == null ? null : tags.stream().filter(t -> "Name".equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }
}
