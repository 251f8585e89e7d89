"""Seeds (and shows) the demo account in a local emulator, through boto3 from the moto venv.

The demo account holds, in two regions, every kind of resource the brake pauses that moto can
emulate: EC2 instances (one already stopped, one protected), an RDS PostgreSQL instance, an Aurora
cluster, an ECS Fargate service with an Application Auto Scaling target, an Auto Scaling group
with one process already suspended, an EKS managed node group, a Redshift cluster, a SageMaker notebook
instance (one already stopped), a running warm pool and one instance protected from scale in
(which keeps running while the group is paused), a maintained Spot Fleet, Lambda functions (one with
reserved concurrency), an SQS queue feeding one of them through an event source mapping, and a REST API stage
throttled to 500 requests/s (burst 100). (Lambda
provisioned concurrency and HTTP/WebSocket API stages are not in the demo: moto has no API for the first nor an
UpdateStage for the second, and drops REST `remove /*/*`; the tests use labelled stubs.)

Beside them, in each region, what a pause cannot stop without deleting it (issue #17, the still-billing kind): a VPC
with a NAT gateway (and its Elastic IP), an application load balancer, an idle Elastic IP and two unattached EBS
volumes (gp3 and io1). `show` prints each of them as read back, so the demo shows they are left exactly as they were.

usage: demo_seed.py seed|show ENDPOINT_URL
"""
import io
import json
import sys
import zipfile

import boto3

REGIONS = ["us-east-1", "eu-west-1"]
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEMO_PASSWORD = "demo-password-1"  # an emulator-only database password, not a secret

DEMO = {
    "us-east-1": [
        ("web-1", "t3.medium", "running", {}),
        ("web-2", "t3.large", "running", {}),
        ("nightly-batch", "c5.xlarge", "stopped", {}),
        ("bastion", "t3.micro", "running", {"aws-hit-breaks:protect": "true"}),
    ],
    "eu-west-1": [
        ("api-eu", "m5.large", "running", {}),
        ("worker-eu", "t3.small", "running", {"team": "data"}),
    ],
}
DATABASES = {"us-east-1": ("orders-db", "reporting-cluster"), "eu-west-1": ("eu-customers-db", None)}
ECS = {"us-east-1": ("shop", "checkout", 3, (2, 10)), "eu-west-1": ("shop-eu", "catalog", 2, None)}
ASG = {"us-east-1": ("web-fleet", 1, 6, 2, ["AZRebalance"])}
EKS = {"us-east-1": ("shop-k8s", "general", 1, 5, 2, "t3.medium")}
REDSHIFT = {"us-east-1": ("analytics", "ra3.xlplus", 2), "eu-west-1": ("eu-reports", "dc2.large", 1)}
NOTEBOOKS = {"us-east-1": [("research", "ml.t3.medium", "InService"), ("old-experiment", "ml.t3.large", "Stopped")],
             "eu-west-1": [("eu-lab", "ml.t3.medium", "InService")]}
SPOT_FLEETS = {"eu-west-1": ("render-farm", 2)}
# function -> reserved concurrency (None: none); the consumer reads the queue (MessageRetentionPeriod 4 days)
FUNCTIONS = {"us-east-1": {"thumbnailer": 20, "upload-consumer": None}, "eu-west-1": {"report-builder": None}}
QUEUES = {"us-east-1": ("uploads", "upload-consumer", 345600)}
# what still bills: per region, the network's name and its volumes (type, GiB, provisioned IOPS or None)
STILL_BILLING = {"us-east-1": ("shop-vpc", [("gp3", 100, None), ("io1", 50, 1000)]),
                 "eu-west-1": ("eu-vpc", [("gp3", 200, None), ("io1", 20, 500)])}


def function_zip():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return event\n")
    return data.getvalue()


def lambda_role(endpoint):
    iam = client("iam", "us-east-1", endpoint)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}
    return iam.create_role(RoleName="demo-lambda", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
API_STAGES = {"us-east-1": ("shop-api", "prod", "500.0", "100")}


def client(service, region, endpoint):
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **CREDS)


def seed(endpoint):
    role = lambda_role(endpoint)
    for region, functions in FUNCTIONS.items():
        awslambda = client("lambda", region, endpoint)
        for name, reserved in functions.items():
            awslambda.create_function(FunctionName=name, Runtime="python3.12", Handler="index.handler", Role=role,
                                      Code={"ZipFile": function_zip()})
            if reserved is not None:
                awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)
        if region in QUEUES:
            queue, consumer, retention = QUEUES[region]
            sqs = client("sqs", region, endpoint)
            url = sqs.create_queue(QueueName=queue, Attributes={"MessageRetentionPeriod": str(retention)})["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            awslambda.create_event_source_mapping(FunctionName=consumer, EventSourceArn=arn, Enabled=True)
    for region, instances in DEMO.items():
        ec2 = client("ec2", region, endpoint)
        ami = next(i["ImageId"] for i in ec2.describe_images(Owners=["amazon"])["Images"]
                   if i.get("RootDeviceType") == "ebs" and i.get("Architecture") == "x86_64")
        for name, itype, state, tags in instances:
            all_tags = [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in tags.items()]
            iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType=itype,
                                    TagSpecifications=[{"ResourceType": "instance", "Tags": all_tags}]
                                    )["Instances"][0]["InstanceId"]
            if state == "stopped":
                ec2.stop_instances(InstanceIds=[iid])

        rds = client("rds", region, endpoint)
        db, cluster = DATABASES[region]
        rds.create_db_instance(DBInstanceIdentifier=db, Engine="postgres", DBInstanceClass="db.t3.micro",
                               AllocatedStorage=20, MasterUsername="demo", MasterUserPassword=DEMO_PASSWORD)
        if cluster:
            rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql",
                                  MasterUsername="demo", MasterUserPassword=DEMO_PASSWORD)

        ecs = client("ecs", region, endpoint)
        cluster_name, service, desired, scaling = ECS[region]
        ecs.create_cluster(clusterName=cluster_name)
        ecs.register_task_definition(family="demo-app", requiresCompatibilities=["FARGATE"], cpu="256",
                                     memory="512", networkMode="awsvpc",
                                     containerDefinitions=[{"name": "app", "image": "nginx", "essential": True}])
        ecs.create_service(cluster=cluster_name, serviceName=service, taskDefinition="demo-app",
                           desiredCount=desired, launchType="FARGATE")
        if scaling:
            client("application-autoscaling", region, endpoint).register_scalable_target(
                ServiceNamespace="ecs", ResourceId=f"service/{cluster_name}/{service}",
                ScalableDimension="ecs:service:DesiredCount", MinCapacity=scaling[0], MaxCapacity=scaling[1])

        if region in ASG:
            name, low, high, desired, suspended = ASG[region]
            ec2.create_launch_template(LaunchTemplateName=f"demo-{region}",
                                       LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.micro"})
            autoscaling = client("autoscaling", region, endpoint)
            autoscaling.create_auto_scaling_group(
                AutoScalingGroupName=name, MinSize=low, MaxSize=high, DesiredCapacity=desired,
                LaunchTemplate={"LaunchTemplateName": f"demo-{region}", "Version": "$Latest"},
                AvailabilityZones=[region + "a"])
            autoscaling.suspend_processes(AutoScalingGroupName=name, ScalingProcesses=suspended)
            autoscaling.put_warm_pool(AutoScalingGroupName=name, MinSize=1, PoolState="Running")
            first = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]["Instances"][0]
            autoscaling.set_instance_protection(AutoScalingGroupName=name, InstanceIds=[first["InstanceId"]],
                                                ProtectedFromScaleIn=True)

        if region in SPOT_FLEETS:
            name, target = SPOT_FLEETS[region]
            fleet = ec2.request_spot_fleet(SpotFleetRequestConfig={
                "IamFleetRole": "arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role",
                "AllocationStrategy": "lowestPrice", "TargetCapacity": target, "Type": "maintain",
                "LaunchSpecifications": [{"ImageId": ami, "InstanceType": "t3.micro"}],
                "TagSpecifications": [{"ResourceType": "spot-fleet-request", "Tags": [{"Key": "Name", "Value": name}]}]})
            fleet_id = fleet["SpotFleetRequestId"]
            members = [i["InstanceId"] for i in ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]]
            if members:  # the tag AWS puts on a fleet's instances (moto does not): the ec2 kind leaves them to the fleet
                ec2.create_tags(Resources=members, Tags=[{"Key": "aws:ec2spot:fleet-request-id", "Value": fleet_id}])

        if region in EKS:
            cluster_name, nodegroup, low, high, desired, itype = EKS[region]
            eks = client("eks", region, endpoint)
            eks.create_cluster(name=cluster_name, roleArn="arn:aws:iam::123456789012:role/demo-eks-cluster",
                               resourcesVpcConfig={"subnetIds": [f"subnet-{region}a"]})
            eks.create_nodegroup(clusterName=cluster_name, nodegroupName=nodegroup, instanceTypes=[itype],
                                 nodeRole="arn:aws:iam::123456789012:role/demo-eks-node", subnets=[f"subnet-{region}a"],
                                 scalingConfig={"minSize": low, "maxSize": high, "desiredSize": desired})
        cluster_id, node_type, nodes = REDSHIFT[region]
        client("redshift", region, endpoint).create_cluster(
            ClusterIdentifier=cluster_id, NodeType=node_type, NumberOfNodes=nodes,
            ClusterType="multi-node" if nodes > 1 else "single-node", MasterUsername="demo",
            MasterUserPassword="Demo-password-1")
        sagemaker = client("sagemaker", region, endpoint)
        for name, itype, status in NOTEBOOKS[region]:
            sagemaker.create_notebook_instance(NotebookInstanceName=name, InstanceType=itype,
                                               RoleArn="arn:aws:iam::123456789012:role/demo-notebook")
            if status == "Stopped":
                sagemaker.stop_notebook_instance(NotebookInstanceName=name)
    seed_api_stages(endpoint)
    seed_still_billing(endpoint)


def seed_still_billing(endpoint):
    for region, (network, volumes) in STILL_BILLING.items():
        ec2 = client("ec2", region, endpoint)
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": network}]}])["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{n}.0/24", AvailabilityZone=region + zone)["Subnet"]["SubnetId"]
                   for n, zone in ((1, "a"), (2, "b"))]
        nat_ip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=nat_ip, TagSpecifications=[
            {"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": network + "-egress"}]}])
        ec2.allocate_address(Domain="vpc", TagSpecifications=[
            {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": network + "-spare-ip"}]}])
        for vtype, size, iops in volumes:
            extra = {"Iops": iops} if iops else {}
            ec2.create_volume(AvailabilityZone=region + "a", VolumeType=vtype, Size=size, **extra)
        client("elbv2", region, endpoint).create_load_balancer(Name=network + "-alb", Subnets=subnets,
                                                               Type="application", Scheme="internet-facing")


def show_still_billing(region, endpoint):
    ec2 = client("ec2", region, endpoint)
    for nat in ec2.describe_nat_gateways()["NatGateways"]:
        name = next((t["Value"] for t in nat.get("Tags", []) if t["Key"] == "Name"), "-")
        print(f"  {region:10} nat       {nat['NatGatewayId'][:13] + ' ' + name:26} {nat['State']}  (still bills)")
    for lb in client("elbv2", region, endpoint).describe_load_balancers()["LoadBalancers"]:
        print(f"  {region:10} elb       {lb['LoadBalancerName']:26} {lb['Type']:10} {lb['State']['Code']}  (still bills)")
    for address in ec2.describe_addresses()["Addresses"]:
        use = address.get("AssociationId") and "associated" or "idle"
        print(f"  {region:10} eip       {address['PublicIp']:26} {use}  (still bills)")
    for volume in ec2.describe_volumes()["Volumes"]:
        if volume.get("Attachments"):
            continue  # an instance's own volume: shown by its instance's line
        iops = f" {volume['Iops']} IOPS" if volume["VolumeType"] == "io1" else ""
        print(f"  {region:10} ebs       {volume['VolumeId']:26} {volume['VolumeType']} {volume['Size']} GiB{iops} "
              f"{volume['State']}  (still bills)")


def seed_api_stages(endpoint):
    for region, (name, stage, rate, burst) in API_STAGES.items():
        apigw = client("apigateway", region, endpoint)
        api = apigw.create_rest_api(name=name)["id"]
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        deployment = apigw.create_deployment(restApiId=api)["id"]
        apigw.create_stage(restApiId=api, stageName=stage, deploymentId=deployment)
        apigw.update_stage(restApiId=api, stageName=stage, patchOperations=[
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": rate},
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": burst}])


def show(endpoint):
    for region in REGIONS:
        awslambda = client("lambda", region, endpoint)
        for fn in awslambda.list_functions()["Functions"]:
            reserved = awslambda.get_function_concurrency(FunctionName=fn["FunctionName"]).get("ReservedConcurrentExecutions")
            print(f"  {region:10} lambda    {fn['FunctionName']:26} reserved concurrency "
                  f"{'none' if reserved is None else reserved}{'  (throttled)' if reserved == 0 else ''}")
        for mapping in awslambda.list_event_source_mappings()["EventSourceMappings"]:
            print(f"  {region:10} mapping   {mapping['EventSourceArn'].split(':')[-1] + ' -> ' + mapping['FunctionArn'].split(':')[-1]:26} "
                  f"{mapping['State']}")
        asg_members = set()
        autoscaling = client("autoscaling", region, endpoint)
        for group in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]:
            asg_members.update(i["InstanceId"] for i in group["Instances"])
            suspended = ",".join(sorted(p["ProcessName"] for p in group["SuspendedProcesses"])) or "-"
            protected = sum(1 for i in group["Instances"] if i.get("ProtectedFromScaleIn"))
            print(f"  {region:10} asg       {group['AutoScalingGroupName']:26} min/max/desired "
                  f"{group['MinSize']}/{group['MaxSize']}/{group['DesiredCapacity']}, {len(group['Instances'])} instance(s)"
                  f"{f' ({protected} protected from scale in)' if protected else ''}  suspended: {suspended}")
            pool = group.get("WarmPoolConfiguration")
            if pool:
                print(f"  {region:10} warm-pool {group['AutoScalingGroupName']:26} min {pool.get('MinSize', 0)}, max prepared "
                      f"{'none' if pool.get('MaxGroupPreparedCapacity', -1) < 0 else pool['MaxGroupPreparedCapacity']}, {pool.get('PoolState')}")
        fleets = client("ec2", region, endpoint).describe_spot_fleet_requests()["SpotFleetRequestConfigs"]
        for fleet in fleets:
            tags = {t["Key"]: t["Value"] for t in fleet.get("Tags", [])}
            print(f"  {region:10} spot-fleet {fleet['SpotFleetRequestId'][:20] + ' ' + tags.get('Name', '-'):25} "
                  f"target {fleet['SpotFleetRequestConfig']['TargetCapacity']}  {fleet['SpotFleetRequestState']}")
        for reservation in client("ec2", region, endpoint).describe_instances()["Reservations"]:
            for i in reservation["Instances"]:
                if i["InstanceId"] in asg_members or i["State"]["Name"] == "terminated":
                    continue  # the group's own instances (a paused group's were terminated by scaling to 0)
                tags = {t["Key"]: t["Value"] for t in i.get("Tags", [])}
                if "aws:ec2spot:fleet-request-id" in tags:
                    continue  # a Spot Fleet's instances: shown by its fleet's line
                print(f"  {region:10} ec2       {i['InstanceId'] + ' ' + tags.get('Name', '-'):26} "
                      f"{i['InstanceType']:10} {i['State']['Name']:8}"
                      f"{'  (protected)' if tags.get('aws-hit-breaks:protect') == 'true' else ''}")
        rds = client("rds", region, endpoint)
        for db in rds.describe_db_instances()["DBInstances"]:
            if not db.get("DBClusterIdentifier"):
                print(f"  {region:10} rds       {db['DBInstanceIdentifier']:26} {db['DBInstanceClass']:10} "
                      f"{db['DBInstanceStatus']}")
        for cluster in rds.describe_db_clusters()["DBClusters"]:
            print(f"  {region:10} aurora    {cluster['DBClusterIdentifier']:26} {cluster['Engine']:18} {cluster['Status']}")
        ecs = client("ecs", region, endpoint)
        scaling = client("application-autoscaling", region, endpoint)
        targets = {t["ResourceId"]: t for t in scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]}
        for cluster_arn in ecs.list_clusters()["clusterArns"]:
            arns = ecs.list_services(cluster=cluster_arn)["serviceArns"]
            for service in ecs.describe_services(cluster=cluster_arn, services=arns)["services"] if arns else []:
                cluster_name = cluster_arn.split("/")[-1]
                target = targets.get(f"service/{cluster_name}/{service['serviceName']}")
                extra = ""
                if target:
                    state = target.get("SuspendedState", {})
                    extra = (f"  scaling min/max {target['MinCapacity']}/{target['MaxCapacity']}"
                             f"{' (scaling suspended)' if state.get('DynamicScalingInSuspended') else ''}")
                print(f"  {region:10} ecs       {cluster_name + '/' + service['serviceName']:26} "
                      f"desired {service['desiredCount']}{extra}")
        eks = client("eks", region, endpoint)
        for cluster_name in eks.list_clusters()["clusters"]:
            for nodegroup in eks.list_nodegroups(clusterName=cluster_name)["nodegroups"]:
                g = eks.describe_nodegroup(clusterName=cluster_name, nodegroupName=nodegroup)["nodegroup"]
                c = g["scalingConfig"]
                print(f"  {region:10} eks       {cluster_name + '/' + nodegroup:26} {','.join(g['instanceTypes']):10} "
                      f"min/max/desired {c['minSize']}/{c['maxSize']}/{c['desiredSize']} {g['status']}")
        for cluster in client("redshift", region, endpoint).describe_clusters()["Clusters"]:
            print(f"  {region:10} redshift  {cluster['ClusterIdentifier']:26} "
                  f"{str(cluster['NumberOfNodes']) + ' x ' + cluster['NodeType']:18} {cluster['ClusterStatus']}")
        for notebook in client("sagemaker", region, endpoint).list_notebook_instances()["NotebookInstances"]:
            print(f"  {region:10} notebook  {notebook['NotebookInstanceName']:26} {notebook['InstanceType']:18} "
                  f"{notebook['NotebookInstanceStatus']}")
        apigw = client("apigateway", region, endpoint)
        for api in apigw.get_rest_apis()["items"]:
            for stage in apigw.get_stages(restApiId=api["id"])["item"]:
                wide = stage.get("methodSettings", {}).get("*/*")
                throttle = f"rate {wide['throttlingRateLimit']} burst {wide['throttlingBurstLimit']}" if wide else "not throttled"
                print(f"  {region:10} apigw     {api['name'] + '/' + stage['stageName']:26} {throttle}")
        show_still_billing(region, endpoint)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("seed", "show"):
        sys.exit(__doc__)
    {"seed": seed, "show": show}[sys.argv[1]](sys.argv[2])
