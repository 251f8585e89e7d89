"""Runs parliament on every policy file in a directory and fails on any finding not suppressed.

Usage: python check_policies.py POLICY_DIR SUPPRESSIONS_YAML   (run with .tools/parliament/bin/python)

The files come from template_policies.py. A finding is dropped only when an entry of the suppressions
file matches its issue, file name and, where the entry gives them, its action and detail (regular
expressions, full match, case-insensitive). Exits 1 when a finding is left, or when a suppression
matched nothing (it is stale: remove it), 0 otherwise.
"""
import os
import re
import sys

import parliament
import yaml


def matches(pattern, value):
    return pattern is None or re.fullmatch(pattern, str(value), re.IGNORECASE | re.DOTALL) is not None


def main(policy_dir, suppressions_path):
    suppressions = yaml.safe_load(open(suppressions_path)) or []
    for s in suppressions:
        if not s.get("issue") or not s.get("file") or not s.get("why"):
            raise SystemExit(f"parliament: suppression without issue, file or why: {s}")
    used = [0] * len(suppressions)
    left = []
    files = sorted(f for f in os.listdir(policy_dir) if f.endswith(".json"))
    if not files:
        raise SystemExit(f"parliament: no policy files in {policy_dir}")
    for name in files:
        path = os.path.join(policy_dir, name)
        policy = parliament.analyze_policy_string(open(path).read(), path)
        for finding in policy.findings:
            finding = parliament.enhance_finding(finding)
            detail = str(finding.detail)
            action = str(finding.location.get("action", ""))
            hit = next((i for i, s in enumerate(suppressions)
                        if matches(s["issue"], finding.issue) and matches(s["file"], name)
                        and matches(s.get("action"), action) and matches(s.get("detail"), detail)), None)
            if hit is None:
                left.append(f"{finding.severity} {finding.issue} {name}: {finding.title} {detail}")
            else:
                used[hit] += 1
    stale = [s for s, n in zip(suppressions, used) if n == 0]
    for s, n in zip(suppressions, used):
        if n:
            print(f"parliament: suppressed {n} x {s['issue']} in {s['file']}", file=sys.stderr)
    for line in left:
        print(f"parliament: {line}", file=sys.stderr)
    for s in stale:
        print(f"parliament: stale suppression (matches nothing): {s['issue']} in {s['file']}", file=sys.stderr)
    print(f"parliament: {len(files)} policies, {len(left)} findings, {sum(used)} suppressed", file=sys.stderr)
    return 1 if left or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
