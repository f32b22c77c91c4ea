#!/usr/bin/env python3
# Tests scripts/checkdeps.py (the include-layering checker) on small fake
# source trees built in a temporary directory; never on the real tree.
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      os.pardir, "scripts", "checkdeps.py")

# A small tree that follows every rule.
CLEAN = {
    "server/base/status.h": '#include <grpcpp/support/status.h>\n#include <string>\n',
    "server/base/names.h": '#include "server/base/status.h"\n',
    "server/store/store.h": '#include "server/base/status.h"\n#include "scheduler/calendar.h"\n',
    "server/store/sqlite/internal.h": '#include "server/store/store.h"\n',
    "server/store/sqlite/sqlite_store.cc":
        '#include "server/store/sqlite/internal.h"\n#include "server/store/store.h"\n',
    "server/domain/authz.h":
        '#include "server/base/status.h"\n#include "server/store/store.h"\n'
        '#include "lotsen/v1/case.pb.h"\n',
    "server/service/cases.h": '#include "server/domain/authz.h"\n',
    "server/rpc/case_rpc.cc":
        '#include <grpcpp/grpcpp.h>\n#include "lotsen/v1/case_service.grpc.pb.h"\n'
        '#include "server/service/cases.h"\n',
    "server/server.cc":
        '#include "server/rpc/case_rpc.h"\n#include "server/store/sqlite/sqlite_store.h"\n'
        '#include "grpc/health/v1/health.grpc.pb.h"\n',
    "scheduler/calendar.h": '#include <chrono>\n#include "scheduler/clock.h"\n',
    "scheduler/rules/rule.cc": '#include "scheduler/calendar.h"\n',
    "cli/main.cc":
        '#include <grpcpp/grpcpp.h>\n#include "cli/format.h"\n'
        '#include "scheduler/calendar.h"\n#include "lotsen/v1/case.pb.h"\n',
    # Not scanned: tests/, bench/, api/, build*/.
    "server/tests/x.cc": '#include "server/rpc/case_rpc.h"\n',
    "server/build-debug/y.cc": '#include <grpcpp/grpcpp.h>\n',
    "scheduler/bench/z.cc": '#include "server/server.h"\n',
}


class CheckdepsTest(unittest.TestCase):
    def run_on(self, extra):
        """Runs the script on CLEAN plus `extra` (path -> text); returns (rc, output)."""
        with tempfile.TemporaryDirectory() as root:
            for path, text in {**CLEAN, **extra}.items():
                full = os.path.join(root, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as f:
                    f.write(text)
            done = subprocess.run([sys.executable, SCRIPT, root],
                                  capture_output=True, text=True, timeout=60)
            return done.returncode, done.stdout + done.stderr

    def assertRefused(self, extra, where):
        rc, out = self.run_on(extra)
        self.assertEqual(rc, 1, out)
        self.assertIn(where, out)
        self.assertIn(" 1 violation\n", out)
        return out

    def assertAllowed(self, extra):
        rc, out = self.run_on(extra)
        self.assertEqual(rc, 0, out)
        self.assertIn("no upward arrow", out)

    def test_clean_tree(self):
        rc, out = self.run_on({})
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"checkdeps: \d+ files, \d+ includes, no upward arrow")

    def test_upward_include(self):
        out = self.assertRefused({"server/domain/x.cc":
                                  '#include <string>\n\n#include "server/service/cases.h"\n'},
                                 "server/domain/x.cc:3: server/service/cases.h:")
        self.assertIn("server/domain/ may include only", out)

    def test_sqlite_from_domain(self):
        self.assertRefused({"server/domain/x.cc": '#include "server/store/sqlite/sqlite_store.h"\n'},
                           "server/domain/x.cc:1:")

    def test_sqlite_from_store_interface(self):
        self.assertRefused({"server/store/x.h": '#include "server/store/sqlite/sqlite_store.h"\n'},
                           "server/store/x.h:1:")

    def test_server_includes_cli(self):
        self.assertRefused({"server/server.cc": '#include "cli/format.h"\n'},
                           "server/server.cc:1: cli/format.h:")

    def test_grpc_in_service(self):
        out = self.assertRefused({"server/service/x.cc": '#include <grpcpp/grpcpp.h>\n'},
                                 "server/service/x.cc:1: grpcpp/grpcpp.h:")
        self.assertIn("gRPC headers only in server/rpc/", out)
        self.assertRefused({"server/service/x.cc":
                            '#include "lotsen/v1/case_service.grpc.pb.h"\n'},
                           "server/service/x.cc:1:")

    def test_grpc_status_only_in_base_status(self):
        self.assertAllowed({})  # CLEAN's server/base/status.h includes it
        self.assertRefused({"server/domain/y.h": '#include <grpcpp/support/status.h>\n'},
                           "server/domain/y.h:1: grpcpp/support/status.h:")
        self.assertRefused({"server/base/names.h": '#include <grpcpp/support/status.h>\n'},
                           "server/base/names.h:1:")

    def test_internal_header(self):
        out = self.assertRefused({"server/server.cc": '#include "server/store/sqlite/internal.h"\n'},
                                 "server/server.cc:1: server/store/sqlite/internal.h:")
        self.assertIn("internal header", out)
        self.assertRefused({"server/domain/internal.h": "",
                            "server/service/x.cc": '#include "server/domain/internal.h"\n'},
                           "server/service/x.cc:1: server/domain/internal.h:")
        self.assertAllowed({"server/store/sqlite/other.cc":
                            '#include "server/store/sqlite/internal.h"\n'})

    def test_scheduler_includes_server(self):
        self.assertRefused({"scheduler/x.cc": '#include "scheduler/clock.h"\n'
                                              '#include "server/base/status.h"\n'},
                           "scheduler/x.cc:2: server/base/status.h:")

    def test_cli_includes_server(self):
        self.assertRefused({"cli/x.cc": '#include "server/store/store.h"\n'},
                           "cli/x.cc:1: server/store/store.h:")

    def test_unknown_server_folder(self):
        # A new server/ subfolder gets no rights until RULES names it.
        self.assertRefused({"server/newlayer/x.cc": '#include "server/base/status.h"\n'},
                           "server/newlayer/x.cc:1: server/base/status.h: no rule for folder")

    def test_commented_include_ignored(self):
        self.assertAllowed({"server/domain/x.cc":
                            '// #include "server/service/cases.h"\n'
                            '  //#include <grpcpp/grpcpp.h>\n'
                            '#include "server/base/status.h"  // for Status\n'})


if __name__ == "__main__":
    unittest.main(verbosity=2)
