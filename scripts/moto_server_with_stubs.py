"""moto server, with STUBS of what moto 5.2.5 lacks and the brake calls on every pause (used by the tests'
MotoServer and by scripts/demo; takes moto_server's arguments).

STUB, ElastiCache Serverless (API version 2015-02-02): moto 5.2.5 has no CreateServerlessCache,
DescribeServerlessCaches or DeleteServerlessCache and answers them with an HTML HTTP 500, which a client retries as
a server error. The still-billing discovery lists serverless caches in every region of every pause, so without this
every pause against moto would wait out its retries and report the listing failed. These answer in the shape of the
ElastiCache API reference (DescribeServerlessCachesResult > ServerlessCaches > member, NextToken; MaxResults at most
50; ServerlessCacheNotFoundFault for an unknown name), serialized by moto from botocore's own service model. What
differs from AWS: a new cache is "available" at once (AWS: "creating" for minutes), a deleted one stays listed as
"deleting" (as moto does for cache clusters) until moto is reset, and nothing is validated but the name.
"""
import sys

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.elasticache.responses import ElastiCacheResponse


class ServerlessCacheNotFoundFault(ServiceException):
    code = "ServerlessCacheNotFoundFault"


class ServerlessCacheAlreadyExistsFault(ServiceException):
    code = "ServerlessCacheAlreadyExistsFault"


class InvalidParameterValue(ServiceException):
    code = "InvalidParameterValue"


def _caches(response):
    backend = response.elasticache_backend
    if not hasattr(backend, "stub_serverless_caches"):
        backend.stub_serverless_caches = {}  # cleared with the backend on /moto-api/reset
    return backend.stub_serverless_caches


def create_serverless_cache(self):
    name = self._get_param("ServerlessCacheName")
    caches = _caches(self)
    if name in caches:
        raise ServerlessCacheAlreadyExistsFault(f"Serverless cache {name} already exists.")
    engine = self._get_param("Engine") or "valkey"
    cache = {
        "ServerlessCacheName": name,
        "Description": self._get_param("Description") or "",
        "Status": "available",
        "Engine": engine,
        "MajorEngineVersion": self._get_param("MajorEngineVersion") or ("8" if engine == "valkey" else "7"),
        "ARN": f"arn:aws:elasticache:{self.region}:{self.current_account}:serverlesscache:{name}",
    }
    caches[name] = cache
    return ActionResult({"ServerlessCache": cache})


def describe_serverless_caches(self):
    caches = list(_caches(self).values())
    name = self._get_param("ServerlessCacheName")
    if name:
        caches = [c for c in caches if c["ServerlessCacheName"] == name]
        if not caches:
            raise ServerlessCacheNotFoundFault(f"Serverless cache {name} not found.")
    size = int(self._get_param("MaxResults") or 50)
    if size < 1 or size > 50:
        raise InvalidParameterValue("MaxResults must be between 1 and 50.")
    start = int(self._get_param("NextToken") or 0)
    page = caches[start:start + size]
    result = {"ServerlessCaches": page}
    if start + size < len(caches):
        result["NextToken"] = str(start + size)
    return ActionResult(result)


def delete_serverless_cache(self):
    name = self._get_param("ServerlessCacheName")
    cache = _caches(self).get(name)
    if cache is None:
        raise ServerlessCacheNotFoundFault(f"Serverless cache {name} not found.")
    cache["Status"] = "deleting"
    return ActionResult({"ServerlessCache": cache})


ElastiCacheResponse.create_serverless_cache = create_serverless_cache
ElastiCacheResponse.describe_serverless_caches = describe_serverless_caches
ElastiCacheResponse.delete_serverless_cache = delete_serverless_cache

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
