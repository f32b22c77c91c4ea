#!/usr/bin/env python3
# Checks that #include lines follow Lotsen's layering, in the spirit of
# Chromium's checkdeps: the arrows in server/ point down
#   rpc -> service -> domain -> store interface <- store/sqlite,  base below all,
# gRPC stays in server/rpc/, the composition root (files directly in server/)
# and cli/, "internal" headers stay in their folder, and scheduler/ depends on
# nothing of ours. Usage: python3 scripts/checkdeps.py [ROOT]  (ROOT defaults to
# the repository root). Exits 1 and prints path:line for each broken rule.
import os
import re
import sys

# Folder -> what its files may include of our own headers, like DEPS files.
# "dir/" means that folder and everything below it; "dir/*" means only the
# files directly in that folder. A file's folder is matched by longest prefix.
SHARED = ["scheduler/", "lotsen/v1/", "api/ics/"]  # pure scheduler code, the API
RULES = {
    "server/base/":         ["server/base/"] + SHARED,
    "server/store/*":       ["server/base/", "server/store/*"] + SHARED,
    "server/store/sqlite/": ["server/base/", "server/store/*", "server/store/sqlite/"] + SHARED,
    "server/domain/":       ["server/base/", "server/store/*", "server/domain/"] + SHARED,
    "server/service/":      ["server/base/", "server/store/*", "server/domain/",
                             "server/service/"] + SHARED,
    "server/rpc/":          ["server/base/", "server/store/*", "server/domain/",
                             "server/service/", "server/rpc/"] + SHARED,
    "server/http/":         ["server/base/", "server/store/*", "server/domain/",
                             "server/service/", "server/rpc/",
                             "server/http/"] + SHARED,
    "server/*":             ["server/"] + SHARED,  # composition root
    "scheduler/":           ["scheduler/"],
    "api/ics/":             ["api/ics/", "scheduler/", "lotsen/v1/"],
    "cli/":                 ["cli/", "scheduler/", "lotsen/", "api/ics/"],
}
OWN = ("server/", "scheduler/", "cli/", "bench/", "tests/", "lotsen/", "api/")

# gRPC headers only where RPCs are served or called; one shared status type.
GRPC_ALLOWED = ["server/rpc/", "server/*", "cli/"]
GRPC_EXCEPTIONS = {("server/base/status.h", "grpcpp/support/status.h")}
GRPC_RULE = ("gRPC headers only in server/rpc/ and the composition root; "
             "use server/base/status.h for the status type")

SCAN = ["server", "scheduler", "cli", "api/ics"]
SKIP_DIRS = {"tests", "bench"}  # and build*
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def matches(pattern, path):
    """True if path (a file or header) falls under pattern ("dir/" or "dir/*")."""
    if pattern.endswith("/*"):
        return os.path.dirname(path) + "/" == pattern[:-1]
    return path.startswith(pattern)


def folder_rule(path):
    hits = [k for k in RULES if matches(k, path)]
    return max(hits, key=len) if hits else None


def words(patterns):
    return ", ".join("files directly in " + p[:-1] if p.endswith("/*") else p
                     for p in patterns)


def is_grpc(header):
    return (header.startswith(("grpcpp/", "grpc/", "grpc++/"))
            or header.endswith(".grpc.pb.h"))


def check(path, header):
    """Yields a sentence for each rule that `path` including `header` breaks."""
    if is_grpc(header) and (path, header) not in GRPC_EXCEPTIONS \
            and not any(matches(p, path) for p in GRPC_ALLOWED):
        yield GRPC_RULE
    if not header.startswith(OWN):
        return
    rule = folder_rule(path)
    if rule is None:
        yield "no rule for folder %s/ in checkdeps.py" % os.path.dirname(path)
        return
    if not any(matches(p, header) for p in RULES[rule]):
        yield "%s may include only %s" % (words([rule]), words(RULES[rule]))
    if "internal" in os.path.basename(header) and \
            os.path.dirname(header) != os.path.dirname(path):
        yield "internal header, only for files in %s/" % os.path.dirname(header)


def sources(root):
    for top in SCAN:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs
                             if d not in SKIP_DIRS and not d.startswith("build"))
            for name in sorted(files):
                if name.endswith((".h", ".cc")):
                    full = os.path.join(folder, name)
                    yield os.path.relpath(full, root).replace(os.sep, "/"), full


def main(argv):
    root = argv[1] if len(argv) > 1 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if len(argv) > 2 or not os.path.isdir(root):
        print("usage: checkdeps.py [ROOT]", file=sys.stderr)
        return 2
    files = includes = 0
    violations = []
    for path, full in sources(root):
        files += 1
        with open(full, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)  # anchored: "// #include" never matches
                if not m:
                    continue
                includes += 1
                for broken in check(path, m.group(2)):
                    violations.append("%s:%d: %s: %s" % (path, number, m.group(2), broken))
    for v in violations:
        print(v)
    if violations:
        print("checkdeps: %d files, %d includes, %d violation%s"
              % (files, includes, len(violations), "s"[:len(violations) > 1]))
        return 1
    print("checkdeps: %d files, %d includes, no upward arrow" % (files, includes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
