#!/usr/bin/env python3
"""The IAM policies in template.yaml, checked against the AWS calls the functions' code made in the tests.

Usage: iam_coverage.py [--iam-definition IAM_DEFINITION_JSON] TEMPLATE ASL_DIR CALLS_FILE...

Each CALLS_FILE holds the lines a RecordingProxy.forFunction proxy appended (test-support), one per call:
function, signing service, region, method, path?query, operation, body (tab separated). Each call is mapped to
its IAM action and resource ARN (AWS's Service Authorization Reference; the table below), then:

  1. every call must be allowed by the function's role (<Function>FunctionRole): an Allow statement whose
     Action and Resource match it, and no Deny statement without a Condition that matches it;
  2. every action an Allow statement of the role grants must have allowed at least one recorded call, unless a
     comment "# iam-unexercised: <why>" is on the action's line, on a comment line directly above it, on its
     statement's "Action:" line or on its statement's "- Sid:" line;
  3. with --iam-definition (parliament's copy of the Service Authorization Reference, iam_definition.json), every
     action a call was mapped to and every action a role grants must exist there;
  4. StateMachineRole is checked the same way against the Lambda functions its definition's Task states invoke
     (statically: the definition's Resources through the template's DefinitionSubstitutions);
  5. a role EventBridge Scheduler assumes (trusted by scheduler.amazonaws.com) is checked against what the schedules
     the functions created (recorded CreateSchedule calls) start: StartExecution of their target state machine.

A role's statements are its inline Policies and those of the AWS::IAM::RolePolicy resources naming it (RoleName).

What is assumed (docs/tooling.md): an Allow statement's Condition holds (tags are not recorded); a Deny statement
with a Condition does not apply (the functions only change resources the protect tag leaves alone). ${AWS::Region}
is the state region (us-east-1), ${AWS::AccountId} is moto's account (123456789012); a resource the stack creates
(SnapshotTable, SnapshotBucket, NotificationTopic, ...) has a name the tests choose, so its name matches any name
(but never across a "/" or ":"), while the rest of its ARN (service, region, account, type, key prefix) must match.
Exits 1 naming each function, action and resource that fails; 2 when the input cannot be read.
"""
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

PARTITION = "aws"
ACCOUNT = "123456789012"
STATE_REGION = "us-east-1"
MARKER = "iam-unexercised:"
NAME = "\x00"  # a name the stack gives a resource it creates: any run of characters other than "/" and ":"


class Unsupported(Exception):
    pass


# ------------------------------------------------------------------ template (with line numbers)

class Tagged:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


class LStr(str):
    line = 0


def _obj(node):
    if isinstance(node, yaml.ScalarNode):
        if node.tag.startswith("!"):
            return Tagged(node.tag[1:], node.value)
        s = LStr(node.value)
        s.line = node.start_mark.line + 1
        return s
    if isinstance(node, yaml.SequenceNode):
        items = [_obj(n) for n in node.value]
        return Tagged(node.tag[1:], items) if node.tag.startswith("!") else items
    if isinstance(node, yaml.MappingNode):
        d = {}
        lines = {}
        for k, v in node.value:
            d[k.value] = _obj(v)
            lines[k.value] = k.start_mark.line + 1
        d["__lines__"] = lines
        d["__line__"] = node.start_mark.line + 1
        return Tagged(node.tag[1:], d) if node.tag.startswith("!") else d
    raise Unsupported(f"YAML node {node!r}")


def load_template(path):
    text = Path(path).read_text()
    return _obj(yaml.compose(text, Loader=yaml.SafeLoader)), text.splitlines()


def plain(v):
    """The value without line bookkeeping (for types and names)."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if not k.startswith("__")}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def entries(d):
    return [(k, v) for k, v in d.items() if not k.startswith("__")]


def as_list(v):
    return v if isinstance(v, list) else [v]


# ------------------------------------------------------------------ resolving resource patterns

class Resolver:
    """Turns a template Resource value into an IAM ARN pattern; names of the stack's own resources become NAME
    (tests) or their logical id (the static state machine check)."""

    def __init__(self, resources, logical_names):
        self.resources = resources
        self.logical_names = logical_names

    def _name(self, logical):
        return logical if self.logical_names else NAME

    def _type(self, logical):
        r = self.resources.get(logical)
        if r is None:
            raise Unsupported(f"reference to unknown resource {logical}")
        return plain(r).get("Type")

    def ref(self, name):
        if name == "AWS::Partition":
            return PARTITION
        if name == "AWS::AccountId":
            return ACCOUNT
        if name == "AWS::Region":
            return STATE_REGION
        if name == "AWS::StackName":
            return self._name("Stack")
        if name.endswith(".Alias"):
            fn = name[: -len(".Alias")]
            return self.get_att(fn, "Arn") + ":" + self.alias()
        t = self._type(name)
        n = self._name(name)
        if t == "AWS::SNS::Topic":
            return f"arn:{PARTITION}:sns:{STATE_REGION}:{ACCOUNT}:{n}"
        if t == "AWS::Serverless::StateMachine":
            return f"arn:{PARTITION}:states:{STATE_REGION}:{ACCOUNT}:stateMachine:{n}"
        if t == "AWS::Serverless::Function":
            return n
        if t in ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Scheduler::ScheduleGroup", "AWS::IAM::Role"):
            return n
        raise Unsupported(f"!Ref {name} ({t}) in a policy")

    def get_att(self, logical, attr):
        t = self._type(logical)
        n = self._name(logical)
        if attr == "Name":
            return n
        if attr != "Arn":
            raise Unsupported(f"!GetAtt {logical}.{attr}")
        return {
            "AWS::DynamoDB::Table": f"arn:{PARTITION}:dynamodb:{STATE_REGION}:{ACCOUNT}:table/{n}",
            "AWS::S3::Bucket": f"arn:{PARTITION}:s3:::{n}",
            "AWS::Logs::LogGroup": f"arn:{PARTITION}:logs:{STATE_REGION}:{ACCOUNT}:log-group:{n}:*",
            "AWS::SQS::Queue": f"arn:{PARTITION}:sqs:{STATE_REGION}:{ACCOUNT}:{n}",
            "AWS::Serverless::Function": f"arn:{PARTITION}:lambda:{STATE_REGION}:{ACCOUNT}:function:{n}",
            "AWS::Serverless::StateMachine": f"arn:{PARTITION}:states:{STATE_REGION}:{ACCOUNT}:stateMachine:{n}",
            "AWS::SNS::Topic": f"arn:{PARTITION}:sns:{STATE_REGION}:{ACCOUNT}:{n}",
            "AWS::IAM::Role": f"arn:{PARTITION}:iam::{ACCOUNT}:role/{n}",
            "AWS::Scheduler::ScheduleGroup": f"arn:{PARTITION}:scheduler:{STATE_REGION}:{ACCOUNT}:schedule-group/{n}",
        }.get(t) or self._unsupported(f"!GetAtt {logical}.Arn ({t})")

    @staticmethod
    def _unsupported(what):
        raise Unsupported(what)

    def alias(self):
        return "live"

    def resolve(self, v):
        if isinstance(v, Tagged):
            if v.tag == "Ref":
                return self.ref(str(v.value))
            if v.tag == "GetAtt":
                logical, attr = str(v.value).split(".", 1)
                return self.get_att(logical, attr)
            if v.tag == "Sub" and isinstance(v.value, str):
                return re.sub(r"\$\{([^}!]+)\}", lambda m: self._sub(m.group(1)), v.value)
            raise Unsupported(f"!{v.tag} {v.value!r} in a policy")
        if isinstance(v, str):
            return str(v)
        raise Unsupported(f"policy value {plain(v)!r}")

    def _sub(self, var):
        if var.startswith("AWS::") or "." not in var:
            return self.ref(var)
        logical, attr = var.split(".", 1)
        return self.get_att(logical, attr)


def pattern_regex(pattern):
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == NAME:
            out.append("[^/:]+")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.S)


def shown(pattern):
    return pattern.replace(NAME, "<name>")


# ------------------------------------------------------------------ roles and statements

class Statement:
    def __init__(self, role, index, raw, resolver, lines):
        self.role = role
        self.sid = str(raw.get("Sid", f"#{index + 1}"))
        self.effect = str(raw.get("Effect"))
        for unsupported in ("NotAction", "NotResource", "NotPrincipal"):
            if unsupported in raw:
                raise Unsupported(f"{role} statement {self.sid}: {unsupported} is not supported by this check")
        self.condition = raw.get("Condition") is not None
        self.actions = [a for a in as_list(raw.get("Action", []))]
        self.action_res = [re.compile(fnmatch_regex(str(a)), re.I) for a in self.actions]
        self.resources = [resolver.resolve(r) for r in as_list(raw.get("Resource", []))]
        self.resource_res = [pattern_regex(p) for p in self.resources]
        self.line = raw.get("__line__", 0)
        marks = raw.get("__lines__", {})
        statement_lines = [marks.get("Sid"), marks.get("Action")]
        self.statement_marked = any(n and MARKER in comment_of(lines[n - 1]) for n in statement_lines)

    def marked(self, action, lines):
        if self.statement_marked:
            return True
        n = getattr(action, "line", 0)
        if not n:
            return False
        if MARKER in comment_of(lines[n - 1]):
            return True
        i = n - 2
        while i >= 0 and lines[i].strip().startswith("#"):
            if MARKER in lines[i]:
                return True
            i -= 1
        return False

    def matching_actions(self, action):
        return [a for a, r in zip(self.actions, self.action_res) if r.fullmatch(action)]

    def covers(self, action, resource):
        return bool(self.matching_actions(action)) and any(r.fullmatch(resource) for r in self.resource_res)


def fnmatch_regex(action_pattern):
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in action_pattern)


def comment_of(line):
    # a "#" that starts a YAML comment: at the line's start or after whitespace, outside quotes (good enough here)
    m = re.search(r"(^|\s)#", line)
    return line[m.end() - 1:] if m else ""


def role_statements(template, lines, role_logical, resolver):
    role = template["Resources"][role_logical]
    props = role.get("Properties", {})
    if "ManagedPolicyArns" in props or "PermissionsBoundary" in props:
        raise Unsupported(f"{role_logical}: managed policies and boundaries are not supported by this check")
    statements = []
    documents = [policy["PolicyDocument"] for policy in as_list(props.get("Policies", []))]
    for logical, res in entries(template["Resources"]):
        if plain(res).get("Type") == "AWS::IAM::RolePolicy":
            role_name = res.get("Properties", {}).get("RoleName")
            if isinstance(role_name, Tagged) and role_name.tag == "Ref" and str(role_name.value) == role_logical:
                documents.append(res["Properties"]["PolicyDocument"])
    for document in documents:
        for i, raw in enumerate(as_list(document["Statement"])):
            statements.append(Statement(role_logical, len(statements), raw, resolver, lines))
    return statements


def trusted_service(template, role_logical):
    """The service principals a role's trust policy names."""
    doc = template["Resources"][role_logical].get("Properties", {}).get("AssumeRolePolicyDocument", {})
    services = set()
    for raw in as_list(doc.get("Statement", [])):
        principal = raw.get("Principal", {}) if isinstance(raw, dict) else {}
        if isinstance(principal, dict):
            services.update(str(x) for x in as_list(principal.get("Service", [])))
    return services


# ------------------------------------------------------------------ recorded calls -> (action, resource)

def arn(service, region, rest):
    return f"arn:{PARTITION}:{service}:{region}:{ACCOUNT}:{rest}"


def json_body(body):
    try:
        return json.loads(body) if body.strip() else {}
    except ValueError:
        return {}


def form_body(body, query):
    params = parse_qs(query, keep_blank_values=True)
    params.update(parse_qs(body, keep_blank_values=True))
    return {k: v[-1] for k, v in params.items()}


def numbered(params, prefix):
    return [v for k, v in sorted(params.items()) if re.fullmatch(re.escape(prefix) + r"\.(member\.)?\d+", k)]


def s3_call(method, path, query):
    params = parse_qs(query, keep_blank_values=True)
    parts = path.lstrip("/").split("/", 1)
    bucket = unquote(parts[0])
    key = unquote(parts[1]) if len(parts) > 1 and parts[1] else None
    if key is None:
        if method in ("GET", "HEAD") and not (set(params) - {"list-type", "prefix", "max-keys", "continuation-token",
                                                             "delimiter", "encoding-type", "fetch-owner", "start-after"}):
            return [("s3:ListBucket", f"arn:{PARTITION}:s3:::{bucket}")]  # ListObjects(V2), HeadBucket
        if method == "POST" and "delete" in params:
            return [("s3:DeleteObject", f"arn:{PARTITION}:s3:::{bucket}/*")]
        if method == "PUT" and not params:
            return [("s3:CreateBucket", f"arn:{PARTITION}:s3:::{bucket}")]
        raise Unsupported(f"S3 {method} /{bucket}?{query}: no IAM action mapped for this bucket request")
    obj = f"arn:{PARTITION}:s3:::{bucket}/{key}"
    if params.keys() - {"x-id", "partNumber", "versionId"}:
        raise Unsupported(f"S3 {method} {path}?{query}: no IAM action mapped for this object sub-resource")
    action = {"GET": "s3:GetObject", "HEAD": "s3:GetObject", "PUT": "s3:PutObject", "DELETE": "s3:DeleteObject"}.get(method)
    if action is None:
        raise Unsupported(f"S3 {method} {path}: no IAM action mapped")
    return [(action, obj)]


def lambda_function_arn(region, name_or_arn, qualifier=None):
    s = unquote(name_or_arn)
    if s.startswith("arn:"):
        return s + (f":{qualifier}" if qualifier and s.count(":") == 6 else "")
    return arn("lambda", region, f"function:{s}" + (f":{qualifier}" if qualifier else ""))


def lambda_call(region, method, path, query):
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/functions/?", path)
    if m and method == "GET":
        return [("lambda:ListFunctions", "*")]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/functions/([^/]+)/provisioned-concurrency/?", path)
    if m:
        fn = m.group(1)
        if method == "GET" and params.get("List") == "ALL":
            return [("lambda:ListProvisionedConcurrencyConfigs", lambda_function_arn(region, fn))]
        action = {"GET": "GetProvisionedConcurrencyConfig", "PUT": "PutProvisionedConcurrencyConfig",
                  "DELETE": "DeleteProvisionedConcurrencyConfig"}.get(method)
        if action:
            return [("lambda:" + action, lambda_function_arn(region, fn, params.get("Qualifier")))]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/tags/(.+)", path)
    if m and method == "GET":
        return [("lambda:ListTags", unquote(m.group(1)))]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/functions/([^/]+)/configuration/?", path)
    if m and method == "GET":
        return [("lambda:GetFunctionConfiguration", lambda_function_arn(region, m.group(1), params.get("Qualifier")))]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/functions/([^/]+)/concurrency/?", path)
    if m:  # lambda-throttle: GetFunctionConcurrency, PutFunctionConcurrency, DeleteFunctionConcurrency
        action = {"GET": "GetFunctionConcurrency", "PUT": "PutFunctionConcurrency",
                  "DELETE": "DeleteFunctionConcurrency"}.get(method)
        if action:
            return [("lambda:" + action, lambda_function_arn(region, m.group(1)))]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/event-source-mappings/?", path)
    if m and method == "GET":
        return [("lambda:ListEventSourceMappings", "*")]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/event-source-mappings/([^/]+)/?", path)
    if m:  # lambda-event-sources: GetEventSourceMapping, UpdateEventSourceMapping
        action = {"GET": "GetEventSourceMapping", "PUT": "UpdateEventSourceMapping"}.get(method)
        if action:
            return [("lambda:" + action, arn("lambda", region, "event-source-mapping:" + unquote(m.group(1))))]
    m = re.fullmatch(r"/\d{4}-\d\d-\d\d/functions/([^/]+)/invocations/?", path)
    if m and method == "POST":
        return [("lambda:InvokeFunction", lambda_function_arn(region, m.group(1), params.get("Qualifier")))]
    raise Unsupported(f"Lambda {method} {path}?{query}: no IAM action mapped for this request")


def eks_call(region, method, path, query):
    """EKS's REST API (Service Authorization Reference: ListClusters has no resource type, ListNodegroups is on the
    cluster, DescribeNodegroup and UpdateNodegroupConfig on the node group, whose ARN ends in an id EKS assigns)."""
    m = re.fullmatch(r"/clusters/?", path)
    if m and method == "GET":
        return [("eks:ListClusters", "*")]
    m = re.fullmatch(r"/clusters/([^/]+)/node-groups/?", path)
    if m and method == "GET":
        return [("eks:ListNodegroups", arn("eks", region, f"cluster/{unquote(m.group(1))}"))]
    m = re.fullmatch(r"/clusters/([^/]+)/node-groups/([^/]+)(/update-config)?/?", path)
    if m:
        nodegroup = arn("eks", region, f"nodegroup/{unquote(m.group(1))}/{unquote(m.group(2))}/*")
        if method == "GET" and not m.group(3):
            return [("eks:DescribeNodegroup", nodegroup)]
        if method == "POST" and m.group(3):
            return [("eks:UpdateNodegroupConfig", nodegroup)]
    raise Unsupported(f"EKS {method} {path}?{query}: no IAM action mapped for this request")


def opensearch_call(region, method, path, query, body):
    """OpenSearch Service's REST API, signing name es (Service Authorization Reference, "Amazon OpenSearch Service":
    ListDomainNames has no resource type; DescribeDomains is on each domain named in the body, domain/<name>)."""
    if method == "GET" and re.fullmatch(r"/2021-01-01/domain/?", path):
        return [("es:ListDomainNames", "*")]
    if method == "POST" and re.fullmatch(r"/2021-01-01/opensearch/domain-info/?", path):
        names = json_body(body).get("DomainNames") or ["*"]
        return [("es:DescribeDomains", arn("es", region, f"domain/{n}")) for n in names]
    raise Unsupported(f"OpenSearch {method} {path}?{query}: no IAM action mapped for this request")


def kafka_call(region, method, path, query):
    """Amazon MSK's REST API (Service Authorization Reference: ListClustersV2 has no resource type)."""
    if method == "GET" and re.fullmatch(r"/api/v2/clusters/?", path):
        return [("kafka:ListClustersV2", "*")]
    raise Unsupported(f"MSK {method} {path}?{query}: no IAM action mapped for this request")


def ecs_name(value):
    return value.rsplit("/", 1)[-1]


def generic_call(service, region, op, body, query):
    action = f"{service}:{op}"
    j = json_body(body) if body.lstrip().startswith("{") else {}
    f = form_body(body, query) if not j else {}
    if service == "dynamodb":
        if op in ("BatchWriteItem", "BatchGetItem"):
            tables = list((j.get("RequestItems") or {}).keys()) or re.findall(r'"RequestItems"\s*:\s*\{\s*"([^"]+)"', body)
        else:
            tables = [j["TableName"]] if "TableName" in j else re.findall(r'"TableName"\s*:\s*"([^"]+)"', body)[:1]
        if not tables:
            raise Unsupported(f"DynamoDB {op}: no table name in the recorded request")
        return [(action, arn("dynamodb", region, f"table/{t}")) for t in tables]
    if service == "states":
        for field in ("stateMachineArn", "executionArn"):
            if field in j:
                return [(action, j[field])]
        return [(action, "*")]
    if service == "sns" and "TopicArn" in f:
        return [(action, f["TopicArn"])]
    if service == "ec2":
        ids = numbered(f, "InstanceId")
        if op in ("StopInstances", "StartInstances") and ids:
            return [(action, arn("ec2", region, f"instance/{i}")) for i in ids]
        if op == "ModifySpotFleetRequest" and "SpotFleetRequestId" in f:
            return [(action, arn("ec2", region, "spot-fleet-request/" + f["SpotFleetRequestId"]))]
        return [(action, "*")]
    if service == "rds":
        if op in ("DescribeDBInstances", "StopDBInstance", "StartDBInstance"):
            return [(action, arn("rds", region, "db:" + f.get("DBInstanceIdentifier", "*")))]
        if op in ("DescribeDBClusters", "StopDBCluster", "StartDBCluster"):
            return [(action, arn("rds", region, "cluster:" + f.get("DBClusterIdentifier", "*")))]
        if op == "DescribeGlobalClusters":
            return [(action, f"arn:{PARTITION}:rds::{ACCOUNT}:global-cluster:" + f.get("GlobalClusterIdentifier", "*"))]
        if op == "DescribeBlueGreenDeployments":
            return [(action, arn("rds", region, "deployment:" + f.get("BlueGreenDeploymentIdentifier", "*")))]
        return [(action, "*")]
    if service == "autoscaling":
        if "AutoScalingGroupName" in f and op not in ("DescribeAutoScalingGroups", "DescribeWarmPool"):
            return [(action, arn("autoscaling", region, "autoScalingGroup:*:autoScalingGroupName/" + f["AutoScalingGroupName"]))]
        return [(action, "*")]
    if service == "ecs":
        if op in ("DescribeServices", "UpdateService"):
            cluster = ecs_name(j.get("cluster", "default"))
            services = j.get("services") or [j.get("service")]
            return [(action, s if str(s).startswith("arn:") else arn("ecs", region, f"service/{cluster}/{s}")) for s in services]
        if op == "ListTagsForResource":
            return [(action, j.get("resourceArn", "*"))]
        return [(action, "*")]
    if service == "redshift":
        if op in ("PauseCluster", "ResumeCluster"):
            return [(action, arn("redshift", region, "cluster:" + f.get("ClusterIdentifier", "*")))]
        return [(action, "*")]  # DescribeClusters: a List action without resource-level permissions
    if service == "sagemaker":
        if op in ("DescribeNotebookInstance", "StopNotebookInstance", "StartNotebookInstance"):
            # SageMaker ARNs carry the resource name in lower case
            return [(action, arn("sagemaker", region, "notebook-instance/" + j.get("NotebookInstanceName", "*").lower()))]
        if op == "ListTags":
            return [(action, j.get("ResourceArn", "*"))]
        if op == "DescribeEndpoint":  # still billing: an endpoint's configuration and instance counts
            return [(action, arn("sagemaker", region, "endpoint/" + j.get("EndpointName", "*").lower()))]
        if op == "DescribeEndpointConfig":  # still billing: the configuration's instance types
            return [(action, arn("sagemaker", region, "endpoint-config/" + j.get("EndpointConfigName", "*").lower()))]
        return [(action, "*")]  # ListNotebookInstances, ListEndpoints: List actions without resource-level permissions
    if service == "application-autoscaling":
        if op in ("RegisterScalableTarget", "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy"):
            # the scalable target's ARN carries an id Application Auto Scaling assigns; the request has no ARN
            return [(action, arn("application-autoscaling", region, "scalable-target/*"))]
        return [(action, "*")]
    if service == "sqs":  # a mapping's source queue: GetQueueUrl (by name), GetQueueAttributes (by URL)
        url = j.get("QueueUrl") or f.get("QueueUrl") or ""
        name = j.get("QueueName") or f.get("QueueName") or url.rstrip("/").rsplit("/", 1)[-1]
        owner = j.get("QueueOwnerAWSAccountId") or f.get("QueueOwnerAWSAccountId") or ACCOUNT
        return [(action, f"arn:{PARTITION}:sqs:{region}:{owner}:{name or '*'}")]
    if service == "elasticache":  # still billing: DescribeCacheClusters (cluster), DescribeServerlessCaches (serverlesscache)
        if op == "DescribeCacheClusters":
            return [(action, arn("elasticache", region, "cluster:" + f.get("CacheClusterId", "*").lower()))]
        if op == "DescribeServerlessCaches":
            return [(action, arn("elasticache", region, "serverlesscache:" + f.get("ServerlessCacheName", "*").lower()))]
        return [(action, "*")]
    if service == "kinesis":  # a mapping's source stream: DescribeStreamSummary
        if "StreamARN" in j:
            return [(action, j["StreamARN"])]
        if "StreamName" in j:
            return [(action, arn("kinesis", region, "stream/" + j["StreamName"]))]
    return [(action, "*")]


def budgets_call(operation, body):
    """AWS Budgets' API operations are authorized by its own action names (Service Authorization Reference, "Actions
    defined by AWS Budget Service": DescribeBudget and DescribeBudgets need budgets:ViewBudget)."""
    if operation in ("DescribeBudget", "DescribeBudgets"):
        name = json.loads(body or "{}").get("BudgetName", "*")
        return [("budgets:ViewBudget", f"arn:{PARTITION}:budgets::{ACCOUNT}:budget/{name}")]
    raise Unsupported(f"budgets {operation}: no IAM action mapped")


def scheduler_call(region, method, path, query, body):
    """EventBridge Scheduler's REST API (Service Authorization Reference: CreateSchedule, GetSchedule and DeleteSchedule
    on arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>; CreateSchedule also needs iam:PassRole of its
    target's role). The group is the body's GroupName (create) or the groupName query parameter, else "default"."""
    m = re.fullmatch(r"/schedules/([^/]+)", path)
    if not m:
        raise Unsupported(f"scheduler {method} {path}?{query}: no IAM action mapped for this request")
    name = unquote(m.group(1))
    if method == "POST":
        j = json_body(body)
        schedule = arn("scheduler", region, f"schedule/{j.get('GroupName') or 'default'}/{name}")
        out = [("scheduler:CreateSchedule", schedule)]
        role = (j.get("Target") or {}).get("RoleArn")
        if role:
            out.append(("iam:PassRole", role))
        return out
    group = parse_qs(query).get("groupName", ["default"])[-1]
    schedule = arn("scheduler", region, f"schedule/{group}/{name}")
    if method == "GET":
        return [("scheduler:GetSchedule", schedule)]
    if method == "DELETE":
        return [("scheduler:DeleteSchedule", schedule)]
    raise Unsupported(f"scheduler {method} {path}?{query}: no IAM action mapped for this request")


def scheduled_targets(files):
    """What the schedules the functions created start: (states:StartExecution, target state machine) per recorded
    CreateSchedule (EventBridge Scheduler's templated Step Functions target)."""
    calls = {}
    for file in files:
        for line in Path(file).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t", 6)
            if len(parts) > 6 and parts[1] == "scheduler" and parts[3] == "POST":
                target = (json_body(parts[6]).get("Target") or {}).get("Arn", "")
                if ":states:" in target:
                    calls[("states:StartExecution", target)] = f"the target of a schedule: {parts[4]}"
    return calls


def apigateway_call(region, method, path):
    """API Gateway's management actions are the HTTP verbs (apigateway:GET, apigateway:PATCH...) on the ARN of the
    request's path (Service Authorization Reference, "Amazon API Gateway Management": RestApis, Stages, Account...;
    arn:aws:apigateway:<region>::/restapis/<id>/stages/<name>). HTTP and WebSocket APIs (apigatewayv2, same signing
    name) are under /v2/apis, and their ARN has the path without /v2."""
    p = unquote(path).rstrip("/")
    if p.startswith("/v2/"):
        p = p[len("/v2"):]
    return [(f"apigateway:{method}", f"arn:{PARTITION}:apigateway:{region}::{p}")]


def call_permissions(service, region, method, target, operation, body):
    """The (IAM action, resource ARN) pairs one recorded call needs; [] for calls that need no permission."""
    split = urlsplit(target)
    path, query = split.path, split.query
    if service == "sts" and operation == "GetCallerIdentity":
        return []  # "No permissions are required to perform this operation" (STS API reference)
    if service == "s3":
        return s3_call(method, path, query)
    if service == "lambda":
        return lambda_call(region, method, path, query)
    if service == "budgets":
        return budgets_call(operation, body)
    if service == "eks":
        return eks_call(region, method, path, query)
    if service == "apigateway":
        return apigateway_call(region, method, path)
    if service == "es":
        return opensearch_call(region, method, path, query, body)
    if service == "kafka":
        return kafka_call(region, method, path, query)
    if service == "scheduler":
        return scheduler_call(region, method, path, query, body)
    if operation.startswith(method + " "):
        raise Unsupported(f"{service} {operation}: a REST request this check has no IAM mapping for")
    return generic_call(service, region, operation, body, query)


def read_calls(files):
    calls = {}
    for file in files:
        for n, line in enumerate(Path(file).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("\t", 6)
            if len(parts) < 6:
                raise Unsupported(f"{file}:{n}: not a recorded call line")
            function, service, region, method, target, operation = parts[:6]
            body = parts[6] if len(parts) > 6 else ""
            for action, resource in call_permissions(service, region, method, target, operation, body):
                calls.setdefault(function, {}).setdefault((action, resource), f"{method} {target} {operation}")
    return calls


# ------------------------------------------------------------------ the state machine's own calls

def state_machine_calls(template, asl_dir):
    calls = {}
    for logical, res in entries(template["Resources"]):
        if plain(res).get("Type") != "AWS::Serverless::StateMachine":
            continue
        props = res["Properties"]
        subs = props.get("DefinitionSubstitutions", {})
        definition = json.loads((Path(asl_dir) / Path(str(props["DefinitionUri"])).name).read_text())
        role = str(props["Role"].value).split(".")[0] if isinstance(props.get("Role"), Tagged) else None
        resolver = Resolver(template["Resources"], logical_names=True)
        for resource in task_resources(definition):
            m = re.fullmatch(r"\$\{(\w+)\}", resource)
            if not m:
                raise Unsupported(f"{logical}: Task Resource {resource} is not a ${{...}} substitution this check knows")
            value = subs[m.group(1)]
            calls.setdefault(role, {})[("lambda:InvokeFunction", resolver.resolve(value))] = f"Task Resource {resource}"
    return calls


def task_resources(node):
    if isinstance(node, dict):
        if node.get("Type") == "Task":
            r = node.get("Resource", "")
            if r.startswith("arn:aws:states:::lambda:invoke"):
                yield node.get("Parameters", node.get("Arguments", {})).get("FunctionName")
            else:
                yield r
        for v in node.values():
            yield from task_resources(v)
    elif isinstance(node, list):
        for v in node:
            yield from task_resources(v)


# ------------------------------------------------------------------ the check

def known_actions(iam_definition):
    """Every service:Action of the Service Authorization Reference, lower case (parliament's iam_definition.json)."""
    services = json.loads(Path(iam_definition).read_text())
    return {f"{s['prefix']}:{p['privilege']}".lower() for s in services for p in s["privileges"]}


def check(template_path, asl_dir, call_files, iam_definition=None):
    template, lines = load_template(template_path)
    resources = template["Resources"]
    errors = []
    recorded = read_calls(call_files)
    checks = []  # (role logical id, who, calls, resolver)
    for logical, res in entries(resources):
        if plain(res).get("Type") != "AWS::IAM::Role":
            continue
        if logical.endswith("FunctionRole"):
            function = logical[: -len("FunctionRole")]
            checks.append((logical, function, recorded.get(function, {}), Resolver(resources, logical_names=False)))
    for role, calls in state_machine_calls(template, asl_dir).items():
        checks.append((role, "the state machine", calls, Resolver(resources, logical_names=True)))
    for logical, res in entries(resources):
        if plain(res).get("Type") == "AWS::IAM::Role" and "scheduler.amazonaws.com" in trusted_service(template, logical):
            checks.append((logical, "EventBridge Scheduler", scheduled_targets(call_files), Resolver(resources, logical_names=False)))
    roles = {c[0] for c in checks}
    for logical, res in entries(resources):
        if plain(res).get("Type") == "AWS::IAM::Role" and logical not in roles:
            errors.append(f"{logical}: a role this check does not know how to exercise (neither <Function>FunctionRole, "
                          f"a state machine's Role nor one EventBridge Scheduler assumes): extend scripts/iam_coverage.py")
    for function in recorded:
        if function + "FunctionRole" not in roles:
            errors.append(f"calls were recorded for {function}, but template.yaml has no role {function}FunctionRole")
    known = known_actions(iam_definition) if iam_definition else None
    for role, who, calls, resolver in sorted(checks, key=lambda c: c[0]):
        statements = role_statements(template, lines, role, resolver)
        if known is not None:
            for action in sorted({a for a, _ in calls} | {str(a) for s in statements for a in s.actions if "*" not in str(a)}):
                if action.lower() not in known:
                    errors.append(f"{role}: {action} is not an action of the Service Authorization Reference "
                                  f"({Path(iam_definition).name})")
        used = set()
        if not calls:
            errors.append(f"{role}: no AWS call of {who} was recorded: enable RecordingProxy.forFunction in the tests "
                          f"that run its handler (docs/tooling.md)")
        for (action, resource), example in sorted(calls.items()):
            allows = [s for s in statements if s.effect == "Allow" and s.covers(action, resource)]
            denies = [s for s in statements if s.effect == "Deny" and not s.condition and s.covers(action, resource)]
            for s in allows:
                for a in s.matching_actions(action):
                    used.add((id(s), str(a)))
            if denies:
                errors.append(f"{who}: {action} on {resource} is denied by {role} statement {denies[0].sid} "
                              f"(a recorded call: {example[:160]})")
            elif not allows:
                errors.append(f"{who}: {action} on {resource} is not allowed by {role} "
                              f"(a recorded call: {example[:160]})")
        for s in statements:
            if s.effect != "Allow":
                continue
            for a in s.actions:
                if (id(s), str(a)) not in used and not s.marked(a, lines):
                    errors.append(f"{role} allows {a} on {', '.join(shown(r) for r in s.resources)} "
                                  f"(statement {s.sid}, template line {getattr(a, 'line', s.line)}) but no recorded call of "
                                  f"{who} needed it: remove it, or say why with a comment '# {MARKER} <why>'")
    return errors


def main(argv):
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    iam_definition = None
    if len(argv) > 2 and argv[1] == "--iam-definition":
        iam_definition, argv = argv[2], argv[:1] + argv[3:]
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        errors = check(argv[1], argv[2], argv[3:], iam_definition)
    except (Unsupported, OSError, KeyError, yaml.YAMLError) as e:
        print(f"iam-coverage: cannot check: {e}", file=sys.stderr)
        return 2
    for e in errors:
        print(f"iam-coverage: {e}", file=sys.stderr)
    if errors:
        print(f"iam-coverage: FAILED: {len(errors)} finding(s) over {len(argv) - 3} recorded call file(s)", file=sys.stderr)
        return 1
    print(f"iam-coverage: ok: every recorded call is allowed, every allowed action was used or says why "
          f"({len(argv) - 3} call file(s))", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
