package dev.awshitbreaks.services.stillbilling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.cost.NetworkStorageBasis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The listers of EBS volumes, public IPv4 addresses, NAT gateways, interface VPC endpoints, EKS control planes,
 * database storage and Kinesis provisioned shards. EBS volumes, Elastic IPs, network interfaces and VPC endpoints are
 * listed through {@link Ec2Query} (hand-signed: their SDK shapes would not fit the Lambda artifact), RDS and EKS through
 * the SDK clients the pausers already use, Kinesis through {@link AwsClients#kinesis}.
 */
final class NetworkStorageListers {
    private NetworkStorageListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of(ebsVolumes(clients), publicIpv4(clients), natGateways(clients), vpcEndpoints(clients),
                eksControlPlanes(clients), databaseStorage(clients), kinesisStreams(clients));
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

    /**
     * EBS volumes that bill: creating, available (unattached) and in-use (AWS bills provisioned storage, IOPS and
     * throughput whether or not the volume is attached, and whether or not its instance runs: EBS pricing). One
     * DescribeVolumes call per page (500 volumes).
     */
    static StillBillingLister ebsVolumes(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "EBS volumes";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                Map<String, String> params = Ec2Query.filter(new LinkedHashMap<>(Map.of("MaxResults", "500")), 1, "status",
                        "creating", "available", "in-use");
                new Ec2Query(clients, region).pages("DescribeVolumes", params, "volumeSet", v -> {
                    String type = Ec2Query.text(v, "volumeType");
                    Integer size = integer(Ec2Query.text(v, "size"));
                    Integer iops = integer(Ec2Query.text(v, "iops"));
                    Integer throughput = integer(Ec2Query.text(v, "throughput"));
                    Map<String, Object> basis = new LinkedHashMap<>();
                    basis.put(NetworkStorageBasis.STORAGE_TYPE, type);
                    basis.put(NetworkStorageBasis.SIZE_GIB, size);
                    StringBuilder detail = new StringBuilder(type).append(' ').append(size).append(" GiB");
                    if (iops != null && ("gp3".equals(type) || "io1".equals(type) || "io2".equals(type))) {
                        basis.put(NetworkStorageBasis.IOPS, iops);
                        detail.append(' ').append(iops).append(" IOPS");
                    }
                    if (throughput != null && "gp3".equals(type)) {
                        basis.put(NetworkStorageBasis.THROUGHPUT_MIBPS, throughput);
                        detail.append(' ').append(throughput).append(" MiB/s");
                    }
                    List<String> attachedTo = Ec2Query.children(Ec2Query.child(v, "attachmentSet"), "item").stream()
                            .map(x -> Ec2Query.text(x, "instanceId")).filter(i -> i != null).toList();
                    detail.append(attachedTo.isEmpty() ? " (unattached)" : " (in-use by " + String.join(", ", attachedTo) + ")");
                    String hint = attachedTo.isEmpty()
                            ? "bills per GB-month (and provisioned IOPS and throughput) while it exists, attached or not;"
                                    + " if it is not needed, snapshot it (snapshots cost less per GB) and delete it"
                            : "bills per GB-month (and provisioned IOPS and throughput) even while " + String.join(", ", attachedTo)
                                    + " is stopped; to stop that, snapshot the volume and delete it (the instance then"
                                    + " needs it restored before it starts), or shrink its provisioned IOPS and throughput";
                    out.add(new StillBilling(StillBillingKind.EBS_VOLUME, region, Ec2Query.text(v, "volumeId"),
                            Ec2Query.nameTag(v), detail.toString(), basis, hint));
                });
                return out;
            }
        };
    }

    /**
     * Public IPv4 addresses, which AWS bills per hour since 1 February 2024, in use or idle (VPC pricing, "Public IPv4
     * address"): every Elastic IP (one DescribeAddresses call: it does not page), except those from a BYOIP pool (not
     * billed), and every other public IPv4 address on a network interface that is not attached to an EC2 instance (an
     * instance's auto-assigned address is released when it stops, so the pause ends it): load balancers', Fargate
     * tasks', and others AWS services own (DescribeNetworkInterfaces, 1,000 interfaces per page; an address that is an
     * Elastic IP is already an Elastic IP row). Two listing calls per region.
     */
    static StillBillingLister publicIpv4(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "public IPv4 addresses";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                Ec2Query ec2 = new Ec2Query(clients, region);
                for (Element a : Ec2Query.children(Ec2Query.child(ec2.call("DescribeAddresses", Map.of()), "addressesSet"), "item")) {
                    String pool = Ec2Query.text(a, "publicIpv4Pool");
                    if (pool != null && !"amazon".equals(pool)) {
                        continue; // brought by the account (BYOIP): AWS does not charge for it
                    }
                    String publicIp = Ec2Query.text(a, "publicIp");
                    String allocation = Ec2Query.text(a, "allocationId");
                    String instance = Ec2Query.text(a, "instanceId");
                    String eni = Ec2Query.text(a, "networkInterfaceId");
                    String on = instance != null ? "associated with " + instance
                            : eni != null ? "associated with " + eni : "unassociated";
                    String hint = Ec2Query.text(a, "associationId") == null
                            ? "an Elastic IP bills per hour even when associated with nothing; if no one needs this address"
                                    + " (allow lists, DNS records), release it"
                            : "an Elastic IP bills per hour whether or not what it is associated with runs; release it only"
                                    + " if no one needs this address again (allow lists, DNS records): a released address is"
                                    + " rarely given back";
                    out.add(new StillBilling(StillBillingKind.PUBLIC_IPV4, region, allocation == null ? publicIp : allocation,
                            Ec2Query.nameTag(a), "elastic-ip " + publicIp + " (" + on + ")", Map.of(), hint));
                }
                Set<String> seen = new HashSet<>();
                ec2.pages("DescribeNetworkInterfaces", Map.of("MaxResults", "1000"), "networkInterfaceSet", eni -> {
                    if (Ec2Query.text(Ec2Query.child(eni, "attachment"), "instanceId") != null) {
                        return; // an instance's: an auto-assigned address is released when it stops; an Elastic IP is listed above
                    }
                    List<Element> associations = new ArrayList<>();
                    for (Element p : Ec2Query.children(Ec2Query.child(eni, "privateIpAddressesSet"), "item")) {
                        if (Ec2Query.child(p, "association") != null) {
                            associations.add(Ec2Query.child(p, "association"));
                        }
                    }
                    if (associations.isEmpty() && Ec2Query.child(eni, "association") != null) {
                        associations.add(Ec2Query.child(eni, "association"));
                    }
                    String id = Ec2Query.text(eni, "networkInterfaceId");
                    String type = Ec2Query.text(eni, "interfaceType");
                    String description = Ec2Query.text(eni, "description");
                    String owner = type != null && !"interface".equals(type) ? type
                            : description == null ? "network interface" : description;
                    for (Element assoc : associations) {
                        String ip = Ec2Query.text(assoc, "publicIp");
                        if (ip == null || Ec2Query.text(assoc, "allocationId") != null || !seen.add(ip)) {
                            continue; // none, or an Elastic IP (its own row)
                        }
                        out.add(new StillBilling(StillBillingKind.PUBLIC_IPV4, region, id + "/" + ip, Ec2Query.nameTag(eni),
                                "public " + ip + " (" + owner + ", " + id + ")", Map.of(),
                                "a public IPv4 address that is not an instance's bills per hour while what owns it exists"
                                        + " (a load balancer, a NAT gateway, a task); it ends when that resource is deleted or"
                                        + " moved to private subnets"));
                    }
                });
                return out;
            }
        };
    }

    /**
     * Interface and Gateway Load Balancer VPC endpoints that are available, pending or pending acceptance (AWS bills each
     * hour an endpoint is provisioned in each Availability Zone, whatever the state of its association: PrivateLink
     * pricing). Gateway endpoints (S3, DynamoDB) are free and not listed. One DescribeVpcEndpoints call per page.
     */
    static StillBillingLister vpcEndpoints(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "interface VPC endpoints";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                Map<String, String> params = new LinkedHashMap<>(Map.of("MaxResults", "1000"));
                Ec2Query.filter(params, 1, "vpc-endpoint-type", "Interface", "GatewayLoadBalancer");
                Ec2Query.filter(params, 2, "vpc-endpoint-state", "available", "pending", "pendingAcceptance");
                new Ec2Query(clients, region).pages("DescribeVpcEndpoints", params, "vpcEndpointSet", e -> {
                    int zones = Math.max(1, Ec2Query.children(Ec2Query.child(e, "subnetIdSet"), "item").size());
                    String type = Ec2Query.text(e, "vpcEndpointType");
                    String service = Ec2Query.text(e, "serviceName");
                    String vpc = Ec2Query.text(e, "vpcId");
                    Map<String, Object> basis = Map.of(NetworkStorageBasis.ENDPOINT_TYPE, type,
                            NetworkStorageBasis.AVAILABILITY_ZONES, zones);
                    out.add(new StillBilling(StillBillingKind.VPC_ENDPOINT, region, Ec2Query.text(e, "vpcEndpointId"),
                            Ec2Query.nameTag(e), type + " " + service + " in " + zones + (zones == 1 ? " AZ" : " AZs"), basis,
                            "bills per hour in each Availability Zone, plus per GB processed; if nothing in " + vpc
                                    + " calls " + service + " while paused, delete it, or keep it in fewer"
                                    + " Availability Zones, and create it again before resuming"));
                });
                return out;
            }
        };
    }

    /**
     * EKS clusters, whose control plane bills per cluster-hour whether or not it has nodes (EKS pricing). One
     * ListClusters call per page (100 names); no DescribeCluster: a row is priced at standard support, and its hint says
     * that a version in extended support costs six times that.
     */
    static StillBillingLister eksControlPlanes(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "EKS clusters";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                for (String name : clients.eks(region).listClustersPaginator(b -> b.maxResults(100)).clusters()) {
                    out.add(new StillBilling(StillBillingKind.EKS_CONTROL_PLANE, region, name, name, "standard-support",
                            Map.of(), "the control plane bills per hour while the cluster exists, nodes or not (priced"
                                    + " here at standard support; a cluster whose Kubernetes version is in extended support"
                                    + " costs 6 times as much: see its version with aws eks describe-cluster); only"
                                    + " deleting the cluster ends it"));
                }
                return out;
            }
        };
    }

    /**
     * The storage of RDS DB instances (every status: storage bills whether the database runs or is stopped, RDS
     * pricing), sized by AllocatedStorage, StorageType and Iops, twice for Multi-AZ; instances that belong to a DB
     * cluster are left to their cluster. DB clusters (Aurora, Multi-AZ DB clusters, DocumentDB, Neptune) are listed
     * too: Aurora storage bills per GB used, which the API does not give. One DescribeDBInstances call and one
     * DescribeDBClusters call per page (100 each).
     */
    static StillBillingLister databaseStorage(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "database storage";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                for (DBInstance db : clients.rds(region).describeDBInstancesPaginator(b -> b.maxRecords(100)).dbInstances()) {
                    if (db.dbClusterIdentifier() != null) {
                        continue; // a cluster member: the storage is the cluster's row
                    }
                    Map<String, Object> basis = new LinkedHashMap<>();
                    String type = db.storageType() == null ? "unknown" : db.storageType();
                    basis.put(NetworkStorageBasis.STORAGE_TYPE, type);
                    basis.put(NetworkStorageBasis.SIZE_GIB, db.allocatedStorage());
                    basis.put(NetworkStorageBasis.ENGINE, db.engine());
                    basis.put(NetworkStorageBasis.MULTI_AZ, Boolean.TRUE.equals(db.multiAZ()));
                    StringBuilder detail = new StringBuilder(type).append(' ').append(db.allocatedStorage()).append(" GiB");
                    if (db.iops() != null) {
                        basis.put(NetworkStorageBasis.IOPS, db.iops());
                        detail.append(' ').append(db.iops()).append(" IOPS");
                    }
                    if (db.storageThroughput() != null && "gp3".equals(type)) {
                        basis.put(NetworkStorageBasis.THROUGHPUT_MIBPS, db.storageThroughput());
                        detail.append(' ').append(db.storageThroughput()).append(" MiB/s");
                    }
                    if (Boolean.TRUE.equals(db.multiAZ())) {
                        detail.append(" Multi-AZ");
                    }
                    detail.append(' ').append(db.engine()).append(" (").append(db.dbInstanceStatus()).append(')');
                    out.add(new StillBilling(StillBillingKind.DB_STORAGE, region, db.dbInstanceIdentifier(),
                            db.dbInstanceIdentifier(), detail.toString(), basis,
                            "its storage bills per GB-month (and provisioned IOPS) whether the database runs or is stopped;"
                                    + " only a final snapshot and deleting the database ends it (snapshot storage costs less)"));
                }
                for (DBCluster c : clients.rds(region).describeDBClustersPaginator(b -> b.maxRecords(100)).dbClusters()) {
                    Map<String, Object> basis = new LinkedHashMap<>();
                    String type = c.storageType() == null ? (c.engine() != null && c.engine().startsWith("aurora") ? "aurora" : "cluster")
                            : c.storageType();
                    basis.put(NetworkStorageBasis.STORAGE_TYPE, type);
                    basis.put(NetworkStorageBasis.ENGINE, c.engine());
                    basis.put(NetworkStorageBasis.DB_CLUSTER, true);
                    out.add(new StillBilling(StillBillingKind.DB_STORAGE, region, c.dbClusterIdentifier(), c.dbClusterIdentifier(),
                            "cluster " + c.engine() + " " + type + " (" + c.status() + ")", basis,
                            "the cluster's storage (and backups beyond its size) bills per GB-month whether it runs or is"
                                    + " stopped; see VolumeBytesUsed in CloudWatch for its size; only a final snapshot and"
                                    + " deleting the cluster ends it"));
                }
                return out;
            }
        };
    }

    /**
     * Kinesis data streams that are active or updating: a provisioned stream bills per shard-hour (Kinesis Data Streams
     * pricing); an on-demand stream per stream-hour and per GB, listed with its price unknown. One ListStreams call per
     * page (100 streams; its StreamSummaries give each stream's mode), then one DescribeStreamSummary per provisioned stream for its
     * open shard count, which ListStreams does not give.
     */
    static StillBillingLister kinesisStreams(AwsClients clients) {
        return new StillBillingLister() {
            @Override
            public String what() {
                return "Kinesis streams";
            }

            @Override
            public List<StillBilling> list(String region) {
                List<StillBilling> out = new ArrayList<>();
                String nextToken = null;
                String after = null;
                JsonNode page;
                do {
                    ObjectNode request = Json.mapper().createObjectNode();
                    if (nextToken != null) {
                        request.put("NextToken", nextToken); // AWS refuses Limit and a start name beside a token
                    } else {
                        request.put("Limit", 100); // its most: "at most 100 results are returned"
                        if (after != null) {
                            request.put("ExclusiveStartStreamName", after);
                        }
                    }
                    page = clients.kinesis(region).call("ListStreams", request);
                    Set<String> names = new HashSet<>();
                    page.path("StreamNames").forEach(n -> names.add(n.asText()));
                    for (JsonNode s : page.path("StreamSummaries")) {
                        String status = s.path("StreamStatus").asText();
                        if (!names.isEmpty() && !names.contains(s.path("StreamName").asText())
                                || !("ACTIVE".equals(status) || "UPDATING".equals(status))) {
                            continue; // not this page's stream, or not billing yet (CREATING) or any more (DELETING)
                        }
                        out.add(stream(region, s));
                    }
                    nextToken = page.hasNonNull("NextToken") ? page.path("NextToken").asText() : null;
                    JsonNode pageNames = page.path("StreamNames");
                    after = pageNames.size() == 0 ? null : pageNames.get(pageNames.size() - 1).asText();
                } while (page.path("HasMoreStreams").asBoolean(false) && (nextToken != null || after != null));
                return out;
            }

            private StillBilling stream(String region, JsonNode s) {
                String name = s.path("StreamName").asText();
                String mode = s.path("StreamModeDetails").path("StreamMode").asText("PROVISIONED");
                Map<String, Object> basis = new LinkedHashMap<>();
                basis.put(NetworkStorageBasis.STREAM_MODE, mode);
                if (!"PROVISIONED".equals(mode)) {
                    return new StillBilling(StillBillingKind.KINESIS_SHARDS, region, name, name, mode.toLowerCase(Locale.ROOT).replace('_', '-'),
                            basis, "an on-demand stream bills per stream-hour and per GB written and read while it exists;"
                                    + " only deleting the stream (and its records) ends it");
                }
                ObjectNode describe = Json.mapper().createObjectNode();
                if (s.hasNonNull("StreamARN")) {
                    describe.put("StreamARN", s.path("StreamARN").asText());
                } else {
                    describe.put("StreamName", name);
                }
                int shards = clients.kinesis(region).call("DescribeStreamSummary", describe)
                        .path("StreamDescriptionSummary").path("OpenShardCount").asInt();
                basis.put(NetworkStorageBasis.OPEN_SHARDS, shards);
                return new StillBilling(StillBillingKind.KINESIS_SHARDS, region, name, name,
                        "provisioned " + shards + (shards == 1 ? " shard" : " shards"), basis,
                        "each open shard bills per hour whether or not records flow; merging shards lowers it (UpdateShardCount"
                                + " halves at most per call), and only deleting the stream (and its records) ends it");
            }
        };
    }

    private static Integer integer(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    static String nameTag(List<Tag> tags) {
        return tags == null ? null : tags.stream().filter(t -> "Name".equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }
}
