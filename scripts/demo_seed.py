"""Seeds (and shows) the demo account in a local emulator, through boto3 from the moto venv.

The demo account holds, in two regions, every kind of resource the brake pauses that moto can
emulate: EC2 instances (one already stopped, one protected), an RDS PostgreSQL instance, an Aurora
cluster, an ECS Fargate service with an Application Auto Scaling target, and an Auto Scaling group
with one process already suspended, and a REST API stage throttled to 500 requests/s (burst 100). (Lambda
provisioned concurrency and HTTP/WebSocket API stages are not in the demo: moto has no API for the first nor an
UpdateStage for the second, and drops REST `remove /*/*`; the tests use labelled stubs.)

usage: demo_seed.py seed|show ENDPOINT_URL
"""
import sys

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
API_STAGES = {"us-east-1": ("shop-api", "prod", "500.0", "100")}


def client(service, region, endpoint):
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **CREDS)


def seed(endpoint):
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
    seed_api_stages(endpoint)


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
        asg_members = set()
        autoscaling = client("autoscaling", region, endpoint)
        for group in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]:
            asg_members.update(i["InstanceId"] for i in group["Instances"])
            suspended = ",".join(sorted(p["ProcessName"] for p in group["SuspendedProcesses"])) or "-"
            print(f"  {region:10} asg       {group['AutoScalingGroupName']:26} min/max/desired "
                  f"{group['MinSize']}/{group['MaxSize']}/{group['DesiredCapacity']}, {len(group['Instances'])} instance(s)"
                  f"  suspended: {suspended}")
        for reservation in client("ec2", region, endpoint).describe_instances()["Reservations"]:
            for i in reservation["Instances"]:
                if i["InstanceId"] in asg_members or i["State"]["Name"] == "terminated":
                    continue  # the group's own instances (a paused group's were terminated by scaling to 0)
                tags = {t["Key"]: t["Value"] for t in i.get("Tags", [])}
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
        apigw = client("apigateway", region, endpoint)
        for api in apigw.get_rest_apis()["items"]:
            for stage in apigw.get_stages(restApiId=api["id"])["item"]:
                wide = stage.get("methodSettings", {}).get("*/*")
                throttle = f"rate {wide['throttlingRateLimit']} burst {wide['throttlingBurstLimit']}" if wide else "not throttled"
                print(f"  {region:10} apigw     {api['name'] + '/' + stage['stageName']:26} {throttle}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("seed", "show"):
        sys.exit(__doc__)
    {"seed": seed, "show": show}[sys.argv[1]](sys.argv[2])
