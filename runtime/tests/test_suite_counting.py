"""How `make test` counts (runtime/suite.py): a skipped test, of Odoo's runner or of pytest, is a
failure of the run and is named with its reason; failing tests are counted once.

The Odoo log below is what Odoo 11's test runner (unittest's TextTestRunner at verbosity 2 writing
through odoo.modules.module.TestStream) logs for a test that passes, one that skips itself, one
that fails, a class skipped by a decorator and a class whose setUpClass skips it."""
import os
import sys

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RUNTIME)

import suite  # noqa: E402

MODULE = "odoo.addons.b2b_demo.tests.test_demo"
PREFIX = "2026-12-06 15:30:27,565 123 %s b2b_test_1 " + MODULE + ": "
LOG = [
    ("INFO", "test_a_passes (%s.TestDemo.test_a_passes)" % MODULE),
    ("INFO", "` A docstring line."),
    ("INFO", "something logged by the test"),
    ("INFO", "test_b_skips (%s.TestDemo.test_b_skips)" % MODULE),
    ("INFO", "before skip"),
    ("INFO", "skipped 'Russian is not loaded in this database'"),
    ("INFO", "test_c_fails (%s.TestDemo.test_c_fails)" % MODULE),
    ("ERROR", "FAIL"),
    ("INFO", "test_x (%s.TestWhole.test_x)" % MODULE),
    ("INFO", "skipped 'whole class'"),
    ("INFO", "setUpClass (%s.TestSetUpClass)" % MODULE),
    ("INFO", "skipped 'no chromium'"),
    ("INFO", "=" * 70),
    ("ERROR", "FAIL: test_c_fails (%s.TestDemo.test_c_fails)" % MODULE),
    ("ERROR", "Traceback (most recent call last):"),
    ("ERROR", '`   File "test_demo.py", line 18, in test_c_fails'),
    ("ERROR", "`     self.assertEqual(1, 2)"),
    ("ERROR", "` AssertionError: 1 != 2"),
    ("INFO", "Ran 4 tests in 0.001s"),
    ("ERROR", "FAILED"),
    ("INFO", " (failures=1, skipped=3)"),
]
END = "2026-12-06 15:30:28,001 123 ERROR b2b_test_1 odoo.modules.module: Module b2b_demo: 1 failures, 0 errors\n"

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="4">
  <testcase classname="tests.test_server_http" name="test_login" time="1.0"/>
  <testcase classname="tests.test_server_http" name="test_cart" time="1.0"/>
  <testcase classname="tests.test_browser" name="test_dealer_orders_in_a_browser" time="0.0">
    <skipped type="pytest.skip" message="chromium is not installed (runtime/bootstrap.sh)">tests/test_browser.py:40: chromium is not installed (runtime/bootstrap.sh)</skipped>
  </testcase>
  <testcase classname="b2b_portal.lib.tests.test_cart" name="test_qty" time="0.0">
    <failure message="assert 1 == 2">assert 1 == 2</failure>
  </testcase>
</testsuite></testsuites>
"""


def write_log(tmp_path):
    path = tmp_path / "odoo.log"
    path.write_text("".join(PREFIX % level + text + "\n" for level, text in LOG) + END,
                    encoding="utf-8")
    return str(path)


def test_odoo_log_names_each_skipped_test_with_its_reason(tmp_path):
    reports, skips = [], []
    ran, failed, other_errors = suite.parse_odoo_test_log(write_log(tmp_path), reports, skips)
    assert (ran, failed, other_errors) == (4, 1, [])
    assert skips == [
        ("test_b_skips (%s.TestDemo.test_b_skips)" % MODULE, "Russian is not loaded in this database"),
        ("test_x (%s.TestWhole.test_x)" % MODULE, "whole class"),
        ("setUpClass (%s.TestSetUpClass)" % MODULE, "no chromium"),
    ]
    assert [test for test, _trace in reports] == ["FAIL test_c_fails (%s.TestDemo.test_c_fails)" % MODULE]


def test_junit_names_each_skipped_test_with_its_reason(tmp_path):
    path = tmp_path / "pytest.xml"
    path.write_text(JUNIT, encoding="utf-8")
    skips = []
    assert suite.parse_junit(str(path), skips) == (2, 1, 1)
    assert skips == [("tests.test_browser::test_dealer_orders_in_a_browser",
                      "chromium is not installed (runtime/bootstrap.sh)")]


def test_every_skip_counts_as_a_failure_and_nothing_twice(tmp_path):
    odoo_skips = []
    ran, failed, _errors = suite.parse_odoo_test_log(write_log(tmp_path), [], odoo_skips)
    py_skips = [("tests.test_browser::test_dealer_orders_in_a_browser", "chromium is not installed")]
    passed, total_failed = suite.count_results(ran, failed, failed, odoo_skips, 2, 1, py_skips)
    # Odoo: 1 passed of 4 run (1 failed, 2 skipped; the skipped class was not run); pytest: 2
    # passed, 1 failed, 1 skipped
    assert (passed, total_failed) == (1 + 2, 1 + 3 + 1 + 1)
    # without skips nothing changes
    assert suite.count_results(10, 1, 1, [], 5, 0, []) == (14, 1)
