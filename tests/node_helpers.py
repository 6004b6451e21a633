"""Odoo's external API for the tests of several Odoo nodes on one PostgreSQL (tests/test_two_nodes.py:
each node is tests/b2b_server.py's Server, all of them on one copy of B2B_TEST_DB and one data_dir)."""
import requests


def jsonrpc(url, service, method, *args):
    """A call of Odoo's /jsonrpc (``service`` common / object); its result or an AssertionError
    with the server's error."""
    answer = requests.post(url + "/jsonrpc", timeout=120, json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"service": service, "method": method, "args": list(args)}}).json()
    assert "error" not in answer, answer.get("error")
    return answer["result"]


class Rpc:
    """Odoo's external API as user ``login`` on ``url``: ``rpc("model", "method", *args, **kw)``."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = jsonrpc(url, "common", "login", db, login, password)
        assert self.uid, "%s could not log in" % login

    def __call__(self, model, method, *args, **kwargs):
        return jsonrpc(self.url, "object", "execute_kw", self.db, self.uid, self.password,
                       model, method, list(args), kwargs)
