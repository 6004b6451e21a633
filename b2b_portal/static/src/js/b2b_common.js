/* Shared helpers of the dealer portal pages (plain browser JavaScript, no framework). */
(function () {
    "use strict";
    var b2b = window.b2b = window.b2b || {};

    /* Call a JSON route of the portal (Odoo's type="json": JSON-RPC 2.0 envelope).
       Resolves with the result; rejects with an Error whose message is the server's text. */
    b2b.rpc = function (url, params) {
        return fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: {"Content-Type": "application/json"},
            body: JSON.stringify({jsonrpc: "2.0", method: "call", params: params || {}, id: Date.now()}),
        }).then(function (response) {
            return response.json();
        }).then(function (reply) {
            if (reply.error) {
                var data = reply.error.data || {};
                throw new Error(data.message || reply.error.message);
            }
            return reply.result;
        });
    };

    b2b.setCartCount = function (count) {
        var badges = document.querySelectorAll(".o_b2b_cart_count");
        for (var i = 0; i < badges.length; i++) {
            badges[i].textContent = count;
        }
    };

    /* The contract switcher submits as soon as another contract is picked. */
    document.addEventListener("change", function (event) {
        if (event.target && event.target.id === "b2b_contract_select") {
            event.target.form.submit();
        }
    });
})();
