"""Creates template.yaml as a CloudFormation stack in moto, the way `sam deploy` would, and lists it.

Usage (with .tools/sam/bin/python, which has aws-sam-translator and boto3):
  python deploy_on_moto.py --endpoint-url http://127.0.0.1:PORT [--stack-name NAME] [--template template.yaml]

1. aws-sam-translator (the library `sam` itself uses) turns the SAM template into plain CloudFormation,
   after the `sam package` step done by hand: a small zip is uploaded to a bucket in moto and every
   function's CodeUri points at it; the state machine's DefinitionUri becomes the definition itself.
2. The smallest shims for what moto's CloudFormation lacks, each named SHIM_* below and in
   docs/tooling.md ("The template on moto"); everything else is the translator's output, unchanged.
3. CreateStack with the template's default parameters, wait for CREATE_COMPLETE, print every resource
   (logical id, type, physical id) and every output. Exit 0 on CREATE_COMPLETE, 1 otherwise (with the
   failed resources' reasons).

moto checks structure, not IAM: it ignores key policies, resource policies, SnapStart and
DefinitionSubstitutions (docs/deploying.md says what an account must still check).
"""
import argparse
import io
import json
import os
import re
import sys
import time
import zipfile

import boto3
from samcli.yamlhelper import yaml_parse
from samtranslator.translator.transform import transform

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACT_BUCKET = "aws-hit-breaks-artifacts"
ARTIFACT_KEY = "functions.zip"


def log(message):
    print(f"stack-on-moto: {message}", file=sys.stderr, flush=True)


class NoManagedPolicies:
    """The template writes every role out in full: no AWS managed policy name needs resolving."""

    def load(self):
        return {}


def package(template, s3, root):
    """What `sam package` does for this template: code to S3, the definition inline."""
    s3.create_bucket(Bucket=ARTIFACT_BUCKET)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # a stand-in artifact: moto stores code, it never runs Java
        z.writestr("README", "aws-hit-breaks functions (stand-in artifact for moto's CloudFormation)\n")
    s3.put_object(Bucket=ARTIFACT_BUCKET, Key=ARTIFACT_KEY, Body=buf.getvalue())
    for res in template["Resources"].values():
        props = res.get("Properties") or {}
        if res["Type"] == "AWS::Serverless::Function":
            props["CodeUri"] = f"s3://{ARTIFACT_BUCKET}/{ARTIFACT_KEY}"
        if res["Type"] == "AWS::Serverless::StateMachine" and "DefinitionUri" in props:
            with open(os.path.join(root, props.pop("DefinitionUri"))) as f:
                props["Definition"] = json.load(f)


def shim_kms_tags(cfn):
    """SHIM_KMS_TAGS: moto reads an AWS::KMS::Key's Tags as TagKey/TagValue pairs (the KMS API's
    spelling), not CloudFormation's Key/Value; it fails on the latter."""
    for res in cfn["Resources"].values():
        if res["Type"] == "AWS::KMS::Key" and "Tags" in res.get("Properties", {}):
            res["Properties"]["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]}
                                         for t in res["Properties"]["Tags"]]


def shim_lambda_aliases(cfn):
    """SHIM_LAMBDA_ALIAS: moto's CloudFormation has no AWS::Lambda::Alias. The aliases are removed and
    every reference to one points at its function instead: a Ref (an alias's Ref is its ARN) becomes
    the function's Fn::GetAtt Arn, a DependsOn names the function."""
    aliases = {lid: res["Properties"]["FunctionName"] for lid, res in cfn["Resources"].items()
               if res["Type"] == "AWS::Lambda::Alias"}
    for lid in aliases:
        del cfn["Resources"][lid]

    def function_of(alias_id):
        target = aliases[alias_id]
        return target["Ref"] if isinstance(target, dict) and "Ref" in target else alias_id

    def rewrite(node):
        if isinstance(node, list):
            return [rewrite(n) for n in node]
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] in aliases:
                return {"Fn::GetAtt": [function_of(node["Ref"]), "Arn"]}
            return {k: rewrite(v) for k, v in node.items()}
        return node

    for lid, res in list(cfn["Resources"].items()):
        depends = res.get("DependsOn")
        if depends:
            depends = [depends] if isinstance(depends, str) else depends
            res["DependsOn"] = [function_of(d) if d in aliases else d for d in depends]
        cfn["Resources"][lid] = rewrite(res)
    cfn["Outputs"] = rewrite(cfn.get("Outputs", {}))
    return sorted(aliases)


# SHIM_CREATE_THROUGH_API: moto's CloudFormation has no model for these types; it logs "not supported"
# and leaves a blank entry in the stack. After CREATE_COMPLETE each is created through its own service's
# API instead, with its properties resolved against the stack, and read back.
CREATED_THROUGH_API = ("AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription",
                       "AWS::SQS::QueuePolicy", "AWS::Lambda::EventInvokeConfig")


class StackValues:
    """Resolves Ref, Fn::GetAtt ...Arn and Fn::Sub against the created stack, as CloudFormation would."""

    def __init__(self, session, endpoint, cfn, resources, stack_name, region):
        self.session, self.endpoint, self.cfn = session, endpoint, cfn
        self.physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in resources}
        self.pseudo = {"AWS::AccountId": "123456789012", "AWS::Region": region, "AWS::Partition": "aws",
                       "AWS::StackName": stack_name, "AWS::URLSuffix": "amazonaws.com"}

    def client(self, name):
        return self.session.client(name, endpoint_url=self.endpoint)

    def ref(self, name):
        return self.pseudo[name] if name in self.pseudo else self.physical[name]

    def arn(self, lid):
        kind, phys = self.cfn["Resources"][lid]["Type"], self.physical[lid]
        if kind == "AWS::S3::Bucket":
            return f"arn:aws:s3:::{phys}"
        if kind == "AWS::SQS::Queue":
            return self.client("sqs").get_queue_attributes(QueueUrl=phys, AttributeNames=["QueueArn"])[
                "Attributes"]["QueueArn"]
        if kind == "AWS::Events::Rule":
            return self.client("events").describe_rule(Name=phys)["Arn"]
        if kind == "AWS::Lambda::Function":
            return self.client("lambda").get_function(FunctionName=phys)["Configuration"]["FunctionArn"]
        if kind == "AWS::SNS::Topic":
            return phys
        raise SystemExit(f"stack-on-moto: no Arn for {lid} ({kind})")

    def resolve(self, node):
        if isinstance(node, list):
            return [self.resolve(n) for n in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"}:
            return self.ref(node["Ref"])
        if set(node) == {"Fn::GetAtt"}:
            lid, attr = node["Fn::GetAtt"] if isinstance(node["Fn::GetAtt"], list) else node["Fn::GetAtt"].split(".", 1)
            if attr != "Arn":
                raise SystemExit(f"stack-on-moto: Fn::GetAtt {lid}.{attr} not resolved")
            return self.arn(lid)
        if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
            return re.sub(r"\$\{([^}]+)\}", lambda m: self.arn(m.group(1)[:-4]) if m.group(1).endswith(".Arn")
                          else self.ref(m.group(1)), node["Fn::Sub"])
        return {k: self.resolve(v) for k, v in node.items()}


def create_through_api(values, lid, kind, props):
    """Creates one resource moto's CloudFormation skips; returns what the service reads back."""
    p = values.resolve(props)
    if kind == "AWS::S3::BucketPolicy":
        s3 = values.client("s3")
        s3.put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))
        return f"bucket policy on {p['Bucket']}: " + str(len(json.loads(s3.get_bucket_policy(Bucket=p["Bucket"])["Policy"])["Statement"])) + " statements"
    if kind == "AWS::SNS::TopicPolicy":
        sns = values.client("sns")
        for topic in p["Topics"]:
            sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(p["PolicyDocument"]))
        return "topic policy on " + ", ".join(
            f"{t} ({len(json.loads(sns.get_topic_attributes(TopicArn=t)['Attributes']['Policy'])['Statement'])} statements)"
            for t in p["Topics"])
    if kind == "AWS::SNS::Subscription":
        sns = values.client("sns")
        arn = sns.subscribe(TopicArn=p["TopicArn"], Protocol=p["Protocol"], Endpoint=p["Endpoint"],
                            ReturnSubscriptionArn=True)["SubscriptionArn"]
        seen = [x for x in sns.list_subscriptions_by_topic(TopicArn=p["TopicArn"])["Subscriptions"]
                if x["SubscriptionArn"] == arn]
        return f"{seen[0]['Protocol']} subscription {arn} -> {seen[0]['Endpoint']}"
    if kind == "AWS::SQS::QueuePolicy":
        sqs = values.client("sqs")
        for url in p["Queues"]:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(p["PolicyDocument"])})
        return "queue policy on " + ", ".join(
            f"{u} ({len(json.loads(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=['Policy'])['Attributes']['Policy'])['Statement'])} statements)"
            for u in p["Queues"])
    if kind == "AWS::Lambda::EventInvokeConfig":
        lam = values.client("lambda")
        args = {k: p[k] for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig") if k in p}
        # Qualifier: the alias, which moto's CloudFormation could not create (SHIM_LAMBDA_ALIAS): the function.
        lam.put_function_event_invoke_config(FunctionName=p["FunctionName"], **args)
        got = lam.get_function_event_invoke_config(FunctionName=p["FunctionName"])
        return (f"{p['FunctionName']} (qualifier {p.get('Qualifier')} -> unqualified): retries {got.get('MaximumRetryAttempts')}, "
                f"on failure -> {got.get('DestinationConfig', {}).get('OnFailure', {}).get('Destination')}")
    raise SystemExit(f"stack-on-moto: {lid}: cannot create {kind}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--stack-name", default="aws-hit-breaks")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--template", default=os.path.join(ROOT, "template.yaml"))
    parser.add_argument("--timeout", type=int, default=180)
    args = parser.parse_args()

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=args.region)
    s3 = session.client("s3", endpoint_url=args.endpoint_url)
    cfn_client = session.client("cloudformation", endpoint_url=args.endpoint_url)

    os.environ["AWS_DEFAULT_REGION"] = args.region  # the translator's pseudo parameters read it
    sam_template = yaml_parse(open(args.template).read())
    package(sam_template, s3, os.path.dirname(os.path.abspath(args.template)))
    parameters = {"AWS::Region": args.region}
    cfn = transform(sam_template, parameters, NoManagedPolicies())
    log(f"translated: {len(cfn['Resources'])} CloudFormation resources")

    shim_kms_tags(cfn)
    removed = shim_lambda_aliases(cfn)
    log(f"SHIM_KMS_TAGS applied; SHIM_LAMBDA_ALIAS removed {len(removed)} aliases: {', '.join(removed)}")

    cfn_client.create_stack(StackName=args.stack_name, TemplateBody=json.dumps(cfn),
                            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
    deadline = time.time() + args.timeout
    status = ""
    while time.time() < deadline:
        status = cfn_client.describe_stacks(StackName=args.stack_name)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(1)
    resources = [r for page in cfn_client.get_paginator("list_stack_resources").paginate(StackName=args.stack_name)
                 for r in page["StackResourceSummaries"]]
    for r in sorted(resources, key=lambda r: r["LogicalResourceId"]):
        if not r["LogicalResourceId"]:
            continue  # moto's blank entry for a type it skipped (SHIM_CREATE_THROUGH_API)
        print(f"resource {r['LogicalResourceId']:<40} {r['ResourceType']:<34} {r['ResourceStatus']:<16} "
              f"{r.get('PhysicalResourceId', '')}")
    # Every resource of the translated template is in the stack, but those whose Condition is false
    # with the default parameters (NotificationEmailSubscription without an e-mail address) and those
    # moto's CloudFormation skips, created here through their APIs (SHIM_CREATE_THROUGH_API).
    listed = {r["LogicalResourceId"] for r in resources if r["LogicalResourceId"]}
    conditional = {lid for lid, res in cfn["Resources"].items() if "Condition" in res}
    for lid in sorted(conditional - listed):
        print(f"resource {lid:<40} (not created: its Condition is false with the default parameters)")
    if status == "CREATE_COMPLETE":
        values = StackValues(session, args.endpoint_url, cfn, [r for r in resources if r["LogicalResourceId"]],
                             args.stack_name, args.region)
        for lid, res in sorted(cfn["Resources"].items()):
            if res["Type"] in CREATED_THROUGH_API and lid not in listed and lid not in conditional:
                seen = create_through_api(values, lid, res["Type"], res.get("Properties", {}))
                print(f"resource {lid:<40} {res['Type']:<34} API_CREATED      {seen}")
                listed.add(lid)
    missing = sorted(set(cfn["Resources"]) - listed - conditional)
    stack = cfn_client.describe_stacks(StackName=args.stack_name)["Stacks"][0]
    for o in sorted(stack.get("Outputs", []), key=lambda o: o["OutputKey"]):
        print(f"output {o['OutputKey']:<26} {o['OutputValue']}")
    by_cfn = len([r for r in resources if r["LogicalResourceId"]])
    print(f"stack {args.stack_name} {status} ({by_cfn} resources by CloudFormation, "
          f"{len(listed) - by_cfn} through their APIs)")
    if missing:
        log(f"resources of the template missing from the stack: {', '.join(missing)}")
    if status != "CREATE_COMPLETE" or missing:
        for r in resources:
            if r["ResourceStatus"].endswith("FAILED"):
                log(f"{r['LogicalResourceId']}: {r.get('ResourceStatusReason', '')}")
        for e in cfn_client.describe_stack_events(StackName=args.stack_name)["StackEvents"][:20]:
            if e.get("ResourceStatusReason"):
                log(f"event {e['LogicalResourceId']} {e['ResourceStatus']}: {e['ResourceStatusReason']}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
