#!/usr/bin/env python3
"""The IAM coverage check (iam_coverage.py) fails on a role missing an action, on an action no call used, on a
resource outside the allowed ARNs and on a Deny, and passes when the role and the calls agree: run on a small
fixture template and recorded calls, so that the real check cannot pass vacuously. Run by scripts/lint."""
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import iam_coverage  # noqa: E402

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
Resources:
  SnapshotTable:
    Type: AWS::DynamoDB::Table
  SnapshotBucket:
    Type: AWS::S3::Bucket
  PlanLogGroup:
    Type: AWS::Logs::LogGroup
  PlanFunction:
    Type: AWS::Serverless::Function
  PlanFunctionRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: plan
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: WriteOwnLogs # iam-unexercised: Lambda writes the logs with the role, the code does not
                Effect: Allow
                Action:
                  - logs:CreateLogStream
                  - logs:PutLogEvents
                Resource: !GetAtt PlanLogGroup.Arn
              - Sid: Records
                Effect: Allow
                Action:
                  - dynamodb:GetItem
                  #ACTIONS#
                Resource: !GetAtt SnapshotTable.Arn
              - Sid: Copies
                Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "${SnapshotBucket.Arn}/snapshots/*"
              - Sid: Regions
                Effect: Allow
                Action: ec2:DescribeRegions
                Resource: "*"
              #DENY#
  BrakeStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/brake.asl.json
      DefinitionSubstitutions:
        PlanFunctionArn: !Ref PlanFunction.Alias
      Role: !GetAtt StateMachineRole.Arn
  StateMachineRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: brake
          PolicyDocument:
            Statement:
              - Sid: InvokeOwnFunctions
                Effect: Allow
                Action: lambda:InvokeFunction
                Resource:
                  #INVOKE#
"""

ASL = {"StartAt": "Plan", "States": {"Plan": {"Type": "Task", "Resource": "${PlanFunctionArn}", "End": True}}}

CALLS = [
    "Plan\tdynamodb\tus-east-1\tPOST\t/\tGetItem\t{\"TableName\":\"plan-test\",\"Key\":{}}",
    "Plan\ts3\tus-east-1\tGET\t/plan-test-bucket/snapshots/pause-1.json\tGET /plan-test-bucket/snapshots/pause-1.json\t",
    "Plan\tec2\teu-west-1\tPOST\t/\tDescribeRegions\tAction=DescribeRegions&Version=2016-11-15",
    "Plan\tsts\tus-east-1\tPOST\t/\tGetCallerIdentity\tAction=GetCallerIdentity&Version=2011-06-15",
]

INVOKE = """- !GetAtt PlanFunction.Arn
                  - !Sub "${PlanFunction.Arn}:*\""""


class IamCoverageTest(unittest.TestCase):
    def run_check(self, actions="", deny="", invoke=INVOKE, extra_calls=()):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            template = TEMPLATE.replace("#ACTIONS#", actions).replace("#DENY#", deny).replace("#INVOKE#", invoke)
            (root / "template.yaml").write_text(template)
            (root / "statemachine").mkdir()
            (root / "statemachine" / "brake.asl.json").write_text(json.dumps(ASL))
            calls = root / "Plan-1.tsv"
            calls.write_text("\n".join(CALLS + list(extra_calls)) + "\n")
            return iam_coverage.check(root / "template.yaml", root / "statemachine", [calls])

    def test_a_role_that_allows_exactly_the_calls_passes(self):
        self.assertEqual([], self.run_check())

    def test_a_call_the_role_does_not_allow_fails_naming_function_action_and_resource(self):
        errors = self.run_check(extra_calls=["Plan\tdynamodb\tus-east-1\tPOST\t/\tPutItem\t{\"TableName\":\"plan-test\"}"])
        self.assertEqual(1, len(errors), errors)
        self.assertIn("Plan: dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/plan-test "
                      "is not allowed by PlanFunctionRole", errors[0])

    def test_an_allowed_action_no_call_made_fails_unless_a_comment_says_why(self):
        errors = self.run_check(actions="- dynamodb:DeleteItem")
        self.assertEqual(1, len(errors), errors)
        self.assertIn("PlanFunctionRole allows dynamodb:DeleteItem", errors[0])
        self.assertIn("statement Records", errors[0])
        self.assertEqual([], self.run_check(actions="- dynamodb:DeleteItem # iam-unexercised: moto never needs it"))
        self.assertEqual([], self.run_check(actions="# iam-unexercised: moto never needs it\n                  - dynamodb:DeleteItem"))

    def test_a_call_outside_the_allowed_key_prefix_or_region_fails(self):
        errors = self.run_check(extra_calls=[
            "Plan\ts3\tus-east-1\tGET\t/plan-test-bucket/reports/pause-1.json\tGET /plan-test-bucket/reports/pause-1.json\t",
            "Plan\tdynamodb\teu-west-1\tPOST\t/\tGetItem\t{\"TableName\":\"plan-test\"}"])
        self.assertEqual(2, len(errors), errors)
        self.assertIn("s3:GetObject on arn:aws:s3:::plan-test-bucket/reports/pause-1.json is not allowed", errors[0] + errors[1])
        self.assertIn("dynamodb:GetItem on arn:aws:dynamodb:eu-west-1:123456789012:table/plan-test is not allowed",
                      errors[0] + errors[1])

    def test_a_bucket_arn_does_not_cover_its_objects(self):
        errors = self.run_check(extra_calls=["Plan\ts3\tus-east-1\tGET\t/plan-test-bucket?list-type=2\tGET /plan-test-bucket\t"])
        self.assertEqual(1, len(errors), errors)
        self.assertIn("s3:ListBucket on arn:aws:s3:::plan-test-bucket is not allowed", errors[0])

    def test_an_unconditional_deny_wins_and_a_conditional_one_is_taken_as_not_applying(self):
        deny = """- Sid: NoReads
                Effect: Deny
                Action: dynamodb:GetItem
                Resource: "*"
                #COND#"""
        errors = self.run_check(deny=deny.replace("#COND#", ""))
        self.assertTrue(any("is denied by PlanFunctionRole statement NoReads" in e for e in errors), errors)
        conditional = deny.replace("#COND#", 'Condition:\n                  StringEquals:\n                    aws:ResourceTag/x: "true"')
        self.assertEqual([], self.run_check(deny=conditional))

    def test_the_state_machine_role_must_allow_invoking_each_task_function(self):
        errors = self.run_check(invoke='- !GetAtt PlanFunction.Arn')
        self.assertIn("lambda:InvokeFunction on arn:aws:lambda:us-east-1:123456789012:function:PlanFunction:live "
                      "is not allowed by StateMachineRole", errors[0])

    def test_a_function_with_no_recorded_call_fails(self):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            (root / "template.yaml").write_text(TEMPLATE.replace("#ACTIONS#", "").replace("#DENY#", "").replace("#INVOKE#", INVOKE))
            (root / "statemachine").mkdir()
            (root / "statemachine" / "brake.asl.json").write_text(json.dumps(ASL))
            errors = iam_coverage.check(root / "template.yaml", root / "statemachine", [])
        self.assertTrue(any("PlanFunctionRole: no AWS call of Plan was recorded" in e for e in errors), errors)

    def test_an_action_missing_from_the_service_authorization_reference_fails(self):
        with tempfile.TemporaryDirectory() as d:
            definition = Path(d) / "iam_definition.json"
            privileges = {"dynamodb": ["GetItem"], "s3": ["GetObject"], "ec2": ["DescribeRegions"],
                          "logs": ["CreateLogStream", "PutLogEvents"], "lambda": ["InvokeFunction"]}
            definition.write_text(json.dumps([{"prefix": p, "privileges": [{"privilege": a} for a in acts]}
                                              for p, acts in privileges.items()]))
            root = Path(d)
            (root / "template.yaml").write_text(TEMPLATE.replace("#ACTIONS#", "- dynamodb:GetItems # iam-unexercised: a typo")
                                                .replace("#DENY#", "").replace("#INVOKE#", INVOKE))
            (root / "statemachine").mkdir()
            (root / "statemachine" / "brake.asl.json").write_text(json.dumps(ASL))
            calls = root / "Plan-1.tsv"
            calls.write_text("\n".join(CALLS) + "\n")
            errors = iam_coverage.check(root / "template.yaml", root / "statemachine", [calls], definition)
        self.assertEqual(["PlanFunctionRole: dynamodb:GetItems is not an action of the Service Authorization Reference "
                          "(iam_definition.json)"], errors)

    def test_a_role_the_check_cannot_exercise_fails(self):
        errors = self.run_check(deny="""- Sid: Nothing
                Effect: Deny
                Action: s3:DeleteBucket
                Resource: "*"
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      Policies: []""")
        self.assertEqual(1, len(errors), errors)
        self.assertIn("OtherRole: a role this check does not know how to exercise", errors[0])

    def test_the_rest_calls_map_to_their_iam_actions(self):
        p = iam_coverage.call_permissions
        self.assertEqual([("lambda:PutProvisionedConcurrencyConfig",
                           "arn:aws:lambda:eu-west-1:123456789012:function:api:live")],
                         p("lambda", "eu-west-1", "PUT", "/2019-09-30/functions/api/provisioned-concurrency?Qualifier=live", "PUT x", ""))
        self.assertEqual([("lambda:ListProvisionedConcurrencyConfigs", "arn:aws:lambda:eu-west-1:123456789012:function:api")],
                         p("lambda", "eu-west-1", "GET", "/2019-09-30/functions/api/provisioned-concurrency?List=ALL", "GET x", ""))
        self.assertEqual([("s3:PutObject", "arn:aws:s3:::b/operations/x.json")],
                         p("s3", "us-east-1", "PUT", "/b/operations/x.json?x-id=PutObject", "PUT x", ""))
        self.assertEqual([("s3:ListBucket", "arn:aws:s3:::b")], p("s3", "us-east-1", "HEAD", "/b", "HEAD /b", ""))
        self.assertEqual([("dynamodb:BatchWriteItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t")],
                         p("dynamodb", "us-east-1", "POST", "/", "BatchWriteItem", '{"RequestItems":{"t":[{"PutRequest":'))
        self.assertEqual([("ec2:StopInstances", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"),
                          ("ec2:StopInstances", "arn:aws:ec2:eu-west-1:123456789012:instance/i-2")],
                         p("ec2", "eu-west-1", "POST", "/", "StopInstances", "Action=StopInstances&InstanceId.1=i-1&InstanceId.2=i-2"))
        self.assertEqual([], p("sts", "us-east-1", "POST", "/", "GetCallerIdentity", ""))
        self.assertEqual([("pricing:GetProducts", "*")], p("pricing", "us-east-1", "POST", "/", "GetProducts", "{}"))
        self.assertEqual([("redshift:PauseCluster", "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse")],
                         p("redshift", "eu-west-1", "POST", "/", "PauseCluster", "Action=PauseCluster&ClusterIdentifier=warehouse"))
        self.assertEqual([("redshift:DescribeClusters", "*")],
                         p("redshift", "eu-west-1", "POST", "/", "DescribeClusters", "Action=DescribeClusters&MaxRecords=100"))
        self.assertEqual([("sagemaker:StopNotebookInstance", "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/lab")],
                         p("sagemaker", "eu-west-1", "POST", "/", "StopNotebookInstance", '{"NotebookInstanceName":"Lab"}'))
        self.assertEqual([("sagemaker:ListTags", "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/lab")],
                         p("sagemaker", "eu-west-1", "POST", "/", "ListTags",
                           '{"ResourceArn":"arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/lab","MaxResults":100}'))


    def test_the_still_billing_query_calls_map_to_their_iam_actions(self):
        p = iam_coverage.call_permissions
        self.assertEqual([("elasticloadbalancing:DescribeLoadBalancers", "*")],
                         p("elasticloadbalancing", "eu-west-1", "POST", "/", "DescribeLoadBalancers",
                           "Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=400"))
        self.assertEqual([("elasticache:DescribeCacheClusters", "arn:aws:elasticache:eu-west-1:123456789012:cluster:*")],
                         p("elasticache", "eu-west-1", "POST", "/", "DescribeCacheClusters",
                           "Action=DescribeCacheClusters&Version=2015-02-02&MaxRecords=100"))
        self.assertEqual([("elasticache:DescribeServerlessCaches",
                           "arn:aws:elasticache:eu-west-1:123456789012:serverlesscache:*")],
                         p("elasticache", "eu-west-1", "POST", "/", "DescribeServerlessCaches",
                           "Action=DescribeServerlessCaches&Version=2015-02-02&MaxResults=50&NextToken=abc"))

    def test_the_scheduler_calls_map_to_their_iam_actions_and_the_passed_role(self):
        p = iam_coverage.call_permissions
        body = json.dumps({"GroupName": "g", "Target": {"Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:brake",
                                                        "RoleArn": "arn:aws:iam::123456789012:role/r"}})
        self.assertEqual([("scheduler:CreateSchedule", "arn:aws:scheduler:us-east-1:123456789012:schedule/g/s"),
                          ("iam:PassRole", "arn:aws:iam::123456789012:role/r")],
                         p("scheduler", "us-east-1", "POST", "/schedules/s", "POST /schedules/s", body))
        self.assertEqual([("scheduler:GetSchedule", "arn:aws:scheduler:us-east-1:123456789012:schedule/g/s")],
                         p("scheduler", "us-east-1", "GET", "/schedules/s?groupName=g", "GET /schedules/s", ""))
        self.assertEqual([("scheduler:DeleteSchedule", "arn:aws:scheduler:us-east-1:123456789012:schedule/g/s")],
                         p("scheduler", "us-east-1", "DELETE", "/schedules/s?groupName=g", "DELETE /schedules/s", ""))

    def test_a_role_eventbridge_scheduler_assumes_is_checked_against_what_the_created_schedules_start(self):
        role = """
  ResumeSchedulerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: scheduler.amazonaws.com
            Action: sts:AssumeRole
  ResumeSchedulerRolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref ResumeSchedulerRole
      PolicyName: start
      PolicyDocument:
        Statement:
          - Sid: StartTheBrake
            Effect: Allow
            Action: #ACTION#
            Resource: !Ref BrakeStateMachine"""
        create = ("Plan\tscheduler\tus-east-1\tPOST\t/schedules/s\tPOST /schedules/s\t"
                  + json.dumps({"GroupName": "g", "Target": {"Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:brake",
                                                             "RoleArn": "arn:aws:iam::123456789012:role/r"}}))
        grants = ("- Sid: Schedule\n"
                  "                Effect: Allow\n"
                  "                Action: scheduler:CreateSchedule\n"
                  "                Resource: arn:aws:scheduler:us-east-1:123456789012:schedule/g/s\n"
                  "              - Sid: Pass\n"
                  "                Effect: Allow\n"
                  "                Action: iam:PassRole\n"
                  "                Resource: !GetAtt ResumeSchedulerRole.Arn")

        def check(action, calls):
            with tempfile.TemporaryDirectory() as d:
                root = Path(d)
                template = (TEMPLATE.replace("#ACTIONS#", "").replace("#DENY#", grants).replace("#INVOKE#", INVOKE)
                            + role.replace("#ACTION#", action).lstrip("\n"))
                (root / "template.yaml").write_text(template)
                (root / "statemachine").mkdir()
                (root / "statemachine" / "brake.asl.json").write_text(json.dumps(ASL))
                f = root / "Plan-1.tsv"
                f.write_text("\n".join(CALLS + calls) + "\n")
                return iam_coverage.check(root / "template.yaml", root / "statemachine", [f])

        self.assertEqual([], check("states:StartExecution", [create]))
        errors = check("states:StopExecution", [create])
        self.assertTrue(any("states:StartExecution on arn:aws:states:us-east-1:123456789012:stateMachine:brake is not allowed "
                            "by ResumeSchedulerRole" in e for e in errors), errors)
        errors = check("states:StartExecution", [])
        self.assertTrue(any("ResumeSchedulerRole: no AWS call of EventBridge Scheduler was recorded" in e for e in errors), errors)


if __name__ == "__main__":
    unittest.main()
