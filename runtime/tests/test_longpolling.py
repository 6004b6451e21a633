"""The live bus: Odoo's long-polling process answers and delivers a notification.

With ``workers`` > 0 (odoo.conf, ``make run``) Odoo's prefork server spawns its long-polling process
by running the launcher again with the word ``gevent``; that process serves ``/longpolling/poll`` on
``longpolling_port``, where the web client (and a reverse proxy's ``/longpolling/`` route) waits for
the bus. The test starts the server exactly as ``make run`` does (the launcher, workers = 2) on free
ports, against the database ``make test`` has built (B2B_TEST_DB) or, run alone, a copy of the
template database; a client polls a channel over HTTP on the long-polling port while an Odoo shell
sends ``bus.bus.sendone`` on it and commits; the client receives the message.
"""
import contextlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "runtime", "launcher.py")
PREFIX = "b2b_longpolling_"
START_SECONDS = 150  # the server and the shell load the registry in parallel on two cores
SEND = """
import os, time
deadline = time.time() + %(seconds)d
while not os.path.exists(%(flag)r) and time.time() < deadline:
    time.sleep(0.1)
env['bus.bus'].sendone(%(channel)r, %(message)r)
env.cr.commit()
print('sent on', %(channel)r)
"""


def load_suite():
    if "b2b_suite" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "b2b_suite", os.path.join(ROOT, "runtime", "suite.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["b2b_suite"] = module
        spec.loader.exec_module(module)
    return sys.modules["b2b_suite"]


@pytest.fixture
def database():
    """B2B_TEST_DB under `make test`; run alone, a copy of the template database (bus installed)."""
    if os.environ.get("B2B_TEST_DB"):
        yield os.environ["B2B_TEST_DB"]
        return
    suite = load_suite()
    dbs = suite.Databases()
    dbs.start_server()
    for name in dbs.list(PREFIX):  # left by a run that was killed
        if not suite._pid_alive(name[len(PREFIX):]):
            dbs.drop(name)
    name = "%s%d" % (PREFIX, os.getpid())
    dbs.copy(suite.template_database(dbs, suite.stock_dependencies(suite.addon_dirs())), name)
    try:
        yield name
    finally:
        dbs.drop(name)


def stop_group(proc):
    """Stop a process started in its own session and every process it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
    # the long-polling process, should it outlive its master
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def poll(url, channel, last=0, options=None, timeout=70):
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
               "params": {"channels": [channel], "last": last, "options": options or {}}}
    response = requests.post(url, json=payload, timeout=timeout)
    response.raise_for_status()
    answer = response.json()
    assert "error" not in answer, answer["error"]
    return answer["result"]


def test_a_bus_notification_reaches_a_long_polling_client(database, tmp_path):
    suite = load_suite()
    http_port, longpolling_port = suite.free_port(), suite.free_port()
    url = "http://127.0.0.1:%d/longpolling/poll" % longpolling_port
    channel = "b2b-test-%s" % uuid.uuid4().hex
    message = {"text": "Заказ ТД-00101 согласован", "id": 101}
    flag = tmp_path / "send"
    server_log, shell_log = tmp_path / "server.log", tmp_path / "shell.log"
    with open(server_log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, LAUNCHER, "-d", database, "--db-filter=^%s$" % database,
             "--http-interface=127.0.0.1", "--http-port=%d" % http_port,
             "--longpolling-port=%d" % longpolling_port, "--workers=2", "--max-cron-threads=0",
             "--pidfile=%s" % (tmp_path / "odoo.pid")],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    with open(shell_log, "w") as out:
        shell = subprocess.Popen(
            [sys.executable, LAUNCHER, "shell", "-d", database, "--no-http", "--workers=0",
             "--max-cron-threads=0"], stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
            cwd=ROOT, text=True, start_new_session=True)
    try:
        shell.stdin.write(SEND % {"seconds": START_SECONDS, "flag": str(flag), "channel": channel,
                                  "message": message})
        shell.stdin.close()

        # the long-polling port answers (a peek returns at once, once the registry is loaded)
        deadline = time.time() + START_SECONDS
        while True:
            log = server_log.read_text()
            assert "Unknow command" not in log, "the long-polling process did not start:\n" + log[-2000:]
            assert server.poll() is None, "the server exited:\n" + log[-3000:]
            assert time.time() < deadline, \
                "nothing answered on the long-polling port %d within %d s:\n%s" % (
                    longpolling_port, START_SECONDS, log[-3000:])
            try:
                peek = poll(url, channel, options={"peek": True}, timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        assert peek == {"notifications": [], "channels": [channel]}

        # a client waits on the channel; the shell sends once the client is waiting
        received = {}

        def wait_for_notification():
            started = time.time()
            try:
                received["result"] = poll(url, channel)
            except Exception as exc:  # reported by the assertion below
                received["error"] = repr(exc)
            received["seconds"] = time.time() - started

        client = threading.Thread(target=wait_for_notification, daemon=True)
        client.start()
        time.sleep(1)
        assert client.is_alive(), "the poll returned before anything was sent: %s" % received
        flag.write_text("go")
        try:
            shell.wait(timeout=START_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail("the shell did not send within %d s:\n%s" % (START_SECONDS,
                                                                     shell_log.read_text()[-3000:]))
        assert shell.returncode == 0 and "sent on %s" % channel in shell_log.read_text(), \
            shell_log.read_text()[-3000:]
        client.join(timeout=75)
        assert not client.is_alive(), "the poll did not return"
        assert "error" not in received, received["error"]
        notifications = received["result"]
        assert [(n["channel"], n["message"]) for n in notifications] == [(channel, message)], notifications
        # delivered when sent, not at the end of the poll's 50 seconds
        assert received["seconds"] < 45, received

        # the next poll from that id has nothing new
        assert poll(url, channel, last=notifications[0]["id"], options={"peek": True}) == \
            {"notifications": [], "channels": [channel]}
    finally:
        stop_group(shell)
        stop_group(server)
    log = server_log.read_text()
    assert re.search(r"Evented Service \(longpolling\) running on 127\.0\.0\.1:%d" % longpolling_port,
                     log), log[-3000:]
    errors = [line for line in log.splitlines() if re.search(r"\d (ERROR|CRITICAL) ", line)]
    assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])
