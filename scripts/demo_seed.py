"""Seeds (and shows) the demo account in a local emulator, through boto3 from the moto venv.

usage: demo_seed.py seed|show ENDPOINT_URL
"""
import sys

import boto3

REGIONS = ["us-east-1", "eu-west-1"]

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


def ec2(region, endpoint):
    return boto3.client("ec2", region_name=region, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def seed(endpoint):
    for region, instances in DEMO.items():
        client = ec2(region, endpoint)
        ami = next(i["ImageId"] for i in client.describe_images(Owners=["amazon"])["Images"]
                   if i.get("RootDeviceType") == "ebs")
        for name, itype, state, tags in instances:
            all_tags = [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in tags.items()]
            iid = client.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType=itype,
                                       TagSpecifications=[{"ResourceType": "instance", "Tags": all_tags}]
                                       )["Instances"][0]["InstanceId"]
            if state == "stopped":
                client.stop_instances(InstanceIds=[iid])


def show(endpoint):
    for region in REGIONS:
        for reservation in ec2(region, endpoint).describe_instances()["Reservations"]:
            for i in reservation["Instances"]:
                tags = {t["Key"]: t["Value"] for t in i.get("Tags", [])}
                print(f"  {region:10} {i['InstanceId']}  {tags.get('Name', '-'):14} {i['InstanceType']:10} "
                      f"{i['State']['Name']:8}{'  (protected)' if tags.get('aws-hit-breaks:protect') == 'true' else ''}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("seed", "show"):
        sys.exit(__doc__)
    {"seed": seed, "show": show}[sys.argv[1]](sys.argv[2])
