"""Writes every IAM policy document of a CloudFormation/SAM template to its own JSON file, for parliament.

Usage: python template_policies.py TEMPLATE OUT_DIR   (run with .tools/sam/bin/python: it parses the
template with sam's YAML loader, which understands the short intrinsic tags !Ref, !Sub, !GetAtt ...).

Each file is named <LogicalId>.<what>.json: the roles' trust policies (.trust) and inline policies
(.<PolicyName>), the bucket, topic and queue policies (.policy) and the KMS key policies (.keypolicy).
Intrinsics are resolved to realistic values (account 123456789012, us-east-1, ARNs of the right form for each resource type), so
parliament can check the ARNs and condition keys; a reference it cannot resolve fails the run, so no
policy is silently skipped. The script prints one line per file and exits non-zero when the template
has no policy at all.
"""
import json
import os
import re
import sys

from samcli.yamlhelper import yaml_parse

ACCOUNT, REGION, PARTITION, STACK = "123456789012", "us-east-1", "aws", "aws-hit-breaks"
PSEUDO = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": PARTITION,
    "AWS::StackName": STACK,
    "AWS::URLSuffix": "amazonaws.com",
}


class Resolver:
    def __init__(self, template):
        self.resources = template.get("Resources", {})
        self.parameters = template.get("Parameters", {})

    def _type(self, logical_id):
        if logical_id not in self.resources:
            raise SystemExit(f"template_policies: unknown resource {logical_id!r}")
        return self.resources[logical_id]["Type"]

    def ref(self, name):
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return str(self.parameters[name].get("Default", name))
        if name.endswith(".Alias"):  # SAM: the function's AutoPublishAlias
            fn = name[: -len(".Alias")]
            return f"{self.getatt(fn, 'Arn')}:live"
        t = self._type(name)
        lower = name.lower()
        if t == "AWS::DynamoDB::Table":
            return f"{STACK}-{name}"
        if t == "AWS::S3::Bucket":
            return f"{STACK}-{lower}"
        if t == "AWS::SNS::Topic":
            return f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{STACK}-{name}"
        if t in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
            return f"arn:{PARTITION}:states:{REGION}:{ACCOUNT}:stateMachine:{STACK}-{name}"
        if t in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            return f"{STACK}-{name}"
        if t == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{STACK}-{name}"
        if t == "AWS::KMS::Key":
            return "0f0e0d0c-0b0a-4009-8008-070605040302"
        if t == "AWS::Logs::LogGroup":
            return f"/aws/lambda/{STACK}-{lower}"
        if t == "AWS::Scheduler::ScheduleGroup":
            return f"{STACK}-{name}"
        if t == "AWS::IAM::Role":
            return f"{STACK}-{name}"
        raise SystemExit(f"template_policies: no Ref value for {name} ({t})")

    def getatt(self, name, attr):
        t = self._type(name)
        if attr == "Arn":
            if t == "AWS::DynamoDB::Table":
                return f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{self.ref(name)}"
            if t == "AWS::S3::Bucket":
                return f"arn:{PARTITION}:s3:::{self.ref(name)}"
            if t in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
                return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{self.ref(name)}"
            if t == "AWS::Logs::LogGroup":
                return f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:{self.ref(name)}:*"
            if t == "AWS::SQS::Queue":
                return f"arn:{PARTITION}:sqs:{REGION}:{ACCOUNT}:{STACK}-{name}"
            if t == "AWS::Events::Rule":
                return f"arn:{PARTITION}:events:{REGION}:{ACCOUNT}:rule/{STACK}-{name}"
            if t == "AWS::KMS::Key":
                return f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{self.ref(name)}"
            if t == "AWS::IAM::Role":
                return f"arn:{PARTITION}:iam::{ACCOUNT}:role/{STACK}-{name}"
            if t == "AWS::Scheduler::ScheduleGroup":
                return f"arn:{PARTITION}:scheduler:{REGION}:{ACCOUNT}:schedule-group/{self.ref(name)}"
        if attr == "Name" and t in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
            return f"{STACK}-{name}"
        raise SystemExit(f"template_policies: no GetAtt value for {name}.{attr} ({t})")

    def resolve(self, node):
        if isinstance(node, list):
            return [self.resolve(n) for n in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                name, attr = value.split(".", 1) if isinstance(value, str) else value
                return self.getatt(name, attr)
            if key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else (value[0], value[1])

                def sub(m):
                    var = m.group(1)
                    if var in variables:
                        return str(self.resolve(variables[var]))
                    if "." in var and not var.startswith("AWS::") and not var.endswith(".Alias"):
                        return self.getatt(*var.split(".", 1))
                    return self.ref(var)

                return re.sub(r"\$\{([^}!]+)\}", sub, text)
            if key.startswith("Fn::"):
                raise SystemExit(f"template_policies: {key} is not resolved by this script; extend it")
        return {k: self.resolve(v) for k, v in node.items()}


def policies(template):
    """(file name, policy document) for every policy in the template."""
    for logical_id, res in template.get("Resources", {}).items():
        t, props = res.get("Type"), res.get("Properties") or {}
        if t == "AWS::IAM::Role":
            yield f"{logical_id}.trust", props["AssumeRolePolicyDocument"]
            for p in props.get("Policies", []):
                yield f"{logical_id}.{p['PolicyName']}", p["PolicyDocument"]
        elif t in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"):
            yield f"{logical_id}.policy", props["PolicyDocument"]
        elif t in ("AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"):
            yield f"{logical_id}.policy", props["PolicyDocument"]
        elif t == "AWS::KMS::Key":
            yield f"{logical_id}.keypolicy", props["KeyPolicy"]
        elif t in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine") and props.get("Policies"):
            raise SystemExit(f"template_policies: {logical_id} has SAM Policies; write its role out instead")


def main(template_path, out_dir):
    template = yaml_parse(open(template_path).read())
    resolver = Resolver(template)
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    for name, doc in policies(template):
        path = os.path.join(out_dir, f"{name}.json")
        with open(path, "w") as f:
            json.dump(resolver.resolve(doc), f, indent=2)
        print(f"parliament: policy {name}", file=sys.stderr)
        count += 1
    if count == 0:
        raise SystemExit(f"template_policies: no policy found in {template_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
