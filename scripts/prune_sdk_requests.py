"""Copies jars, leaving out the request classes of AWS SDK operations that nothing calls.

Usage: prune_sdk_requests.py LIB_DIR OUT_DIR

An operation's request class (services/<svc>/model/<Op>Request, with its $Builder and $BuilderImpl)
is left out when no class names it other than the generated per-operation code: the service's
client interfaces and implementations (<X>Client), paginators, waiters and per-operation
marshallers. Our code and the SDK's own internals (interceptors, presigners, endpoint code) keep
every request they name. See scripts/lambda-artifact.
"""
import os
import re
import sys
import zipfile

CLIENT = re.compile(r"^software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]+Client\.class$")
GENERATED_PER_OPERATION = re.compile(
    r"^software/amazon/awssdk/services/[a-z0-9]+/"
    r"(model/|paginators/|waiters/|transform/[A-Za-z0-9]+Marshaller\.class$|[A-Za-z0-9]+Client\.class$)")
OPERATION_REQUEST = re.compile(rb"software/amazon/awssdk/services/([a-z0-9]+)/model/([A-Za-z0-9]+Request);")
NAMED_REQUEST = re.compile(rb"software/amazon/awssdk/services/([a-z0-9]+)/model/([A-Za-z0-9]+Request)(?![A-Za-z0-9])")
REQUEST_CLASS = re.compile(r"^software/amazon/awssdk/services/([a-z0-9]+)/model/([A-Za-z0-9]+Request)(\$[^/]*)?\.class$")


def main(lib_dir, out_dir):
    jars = sorted(f for f in os.listdir(lib_dir) if f.endswith(".jar"))
    operations, named = set(), set()
    for jar in jars:
        with zipfile.ZipFile(os.path.join(lib_dir, jar)) as z:
            for name in z.namelist():
                if not name.endswith(".class"):
                    continue
                if CLIENT.match(name):
                    operations.update(OPERATION_REQUEST.findall(z.read(name)))
                elif not GENERATED_PER_OPERATION.match(name):
                    named.update(NAMED_REQUEST.findall(z.read(name)))
    unused = {(s.decode(), r.decode()) for s, r in operations - named}
    dropped = 0
    for jar in jars:
        with zipfile.ZipFile(os.path.join(lib_dir, jar)) as src, \
                zipfile.ZipFile(os.path.join(out_dir, jar), "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                m = REQUEST_CLASS.match(info.filename)
                if m and (m.group(1), m.group(2)) in unused:
                    dropped += 1
                    continue
                dst.writestr(info, src.read(info.filename))
    print(f"{len(operations)} operations, {len(operations) - len(unused)} kept, {dropped} classes left out")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
