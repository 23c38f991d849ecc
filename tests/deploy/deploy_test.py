#!/usr/bin/env python3
"""Tests of deploy/: the generated CRDs, RBAC, the operator manifests, the Helm chart, the Prometheus and
Alertmanager files and the Dockerfile. No cluster and no Helm: the chart is rendered by render_chart.py,
objects are validated against CRD schemas by openapi_validate.py, rules by promtool, the Alertmanager
configuration by amtool (both skipped when not installed; scripts/setup.sh installs them).

Usage: python3 tests/deploy/deploy_test.py <repo root> <fixtures dir> [test names, e.g. crds_test.GeneratedCrdsTest]
"""
import os
import sys
import unittest

# No __pycache__ folders in the source tree (tests/deploy, scripts/) from a test run.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deploy_common  # noqa: E402

MODULES = ["crds_test", "manifests_test", "packaging_test"]


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    deploy_common.REPO, deploy_common.FIXTURES = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    suite = unittest.defaultTestLoader.loadTestsFromNames(MODULES) if len(sys.argv) == 3 else \
        unittest.defaultTestLoader.loadTestsFromNames(sys.argv[3:])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    # The plain closing line test runners are read by.
    print(f"{result.testsRun - failed - len(result.skipped)} passed, {failed} failed, {len(result.skipped)} skipped")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
