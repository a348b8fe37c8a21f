"""Fast builds: a cache between builds, worker processes within one.

See cache (what is kept, where), documents (plan files read only when changed), facts
(what each page depends on), render (drawing only changed pages) and pool (processes).
"""

from planpress.incremental.cache import CACHE_DIR, BuildCache

__all__ = ["CACHE_DIR", "BuildCache"]
