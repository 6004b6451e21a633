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

    /* A file input marked data-b2b-preview="<id>" shows the pictures picked, before they are sent,
       as thumbnails in the element of that id (read in the browser: nothing is uploaded). */
    document.addEventListener("change", function (event) {
        var input = event.target;
        var target = input && input.getAttribute && input.getAttribute("data-b2b-preview");
        var box = target && document.getElementById(target);
        if (!box || !input.files) {
            return;
        }
        while (box.firstChild) {
            box.removeChild(box.firstChild);
        }
        Array.prototype.forEach.call(input.files, function (file) {
            if (!/^image\//.test(file.type)) {
                return;
            }
            var figure = document.createElement("figure");
            figure.className = "o_b2b_photo_preview";
            var img = document.createElement("img");
            img.alt = file.name;
            img.src = URL.createObjectURL(file);
            var caption = document.createElement("figcaption");
            caption.textContent = file.name;
            figure.appendChild(img);
            figure.appendChild(caption);
            box.appendChild(figure);
        });
    });
})();
