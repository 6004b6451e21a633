"""What a dealer's user may call through Odoo's generic RPC, and the time bound of their requests."""
from b2b_base.lib import rpc_policy


def test_generic_routes_name_their_call():
    params = {"model": "sale.order", "method": "search_read"}
    assert rpc_policy.generic_call("/web/dataset/call_kw", params) == ("sale.order", "search_read")
    assert rpc_policy.generic_call("/web/dataset/call_kw/sale.order/search_read", params) == (
        "sale.order", "search_read")
    assert rpc_policy.generic_call("/web/dataset/call_button", params) == ("sale.order", "search_read")
    # routes that fix the method
    assert rpc_policy.generic_call("/web/dataset/search_read", {"model": "res.partner"}) == (
        "res.partner", "search_read")
    assert rpc_policy.generic_call("/web/dataset/resequence", {"model": "b2b.cart"}) == ("b2b.cart", "write")
    # routes that name no model/method pair, and what a hostile client may send instead of names
    assert rpc_policy.generic_call("/web/export/csv", {"data": "{}"}) == (None, None)
    assert rpc_policy.generic_call("/web/action/run", {"action_id": 1}) == (None, None)
    assert rpc_policy.generic_call("/web/dataset/call_kw", {"model": ["x"], "method": 7}) == (None, None)
    assert rpc_policy.generic_call("/web/dataset/call_kw", None) == (None, None)
    # the suite's own routes and Odoo's portal are not generic
    assert rpc_policy.generic_call("/b2b/cart/add", params) is False
    assert rpc_policy.generic_call("/my/orders", {}) is False
    assert rpc_policy.generic_call("/web/login", {}) is False


def test_allow_list():
    assert rpc_policy.allowed("res.users", "has_group")
    assert not rpc_policy.allowed("res.users", "read")
    assert not rpc_policy.allowed("res.users", "write")
    cart_api = ("b2b_get_cart", "b2b_set_lines")
    assert rpc_policy.allowed("b2b.cart", "b2b_set_lines", cart_api)
    assert not rpc_policy.allowed("b2b.cart", "unlink", cart_api)
    assert not rpc_policy.allowed("b2b.cart", "search_read", cart_api)
    # a private method is never allowed, even when a model lists it
    assert not rpc_policy.allowed("b2b.cart", "_b2b_lines", ("_b2b_lines",))
    assert not rpc_policy.allowed(None, "has_group")
    assert not rpc_policy.allowed("res.users", None)


def test_time_bound():
    assert rpc_policy.request_seconds("45") == 45
    assert rpc_policy.request_seconds(" 2,5 ") == 2.5
    for value in (None, "", "abc", "0", "-3", "nan"):
        assert rpc_policy.request_seconds(value) == rpc_policy.DEFAULT_REQUEST_SECONDS
    assert rpc_policy.bounded("/my/orders")
    assert rpc_policy.bounded("/b2b/cart/checkout")
    assert not rpc_policy.bounded("/longpolling/poll")
