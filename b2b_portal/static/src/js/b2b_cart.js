/* Dealer portal: the cart page (quantities saved in one call, quick add by SKU with suggestions,
   a pasted SKU list) and the confirmations of the saved-carts page. Plain browser JavaScript. */
(function () {
    "use strict";
    var b2b = window.b2b = window.b2b || {};

    function $(selector, root) { return (root || document).querySelector(selector); }
    function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

    function cartId() {
        var block = $("#o_b2b_cart_lines");
        return block ? parseInt(block.getAttribute("data-cart-id"), 10) : null;
    }

    function showError(text) {
        var alert = $("#o_b2b_cart_alert");
        var info = $("#o_b2b_cart_info");
        if (info) { info.classList.add("hidden"); }
        if (!alert) { window.alert(text); return; }
        alert.textContent = text;
        alert.classList.remove("hidden");
        alert.scrollIntoView({block: "nearest"});
    }

    function showInfo(text) {
        var alert = $("#o_b2b_cart_alert");
        var info = $("#o_b2b_cart_info");
        if (alert) { alert.classList.add("hidden"); }
        if (info) {
            info.textContent = text;
            info.classList.remove("hidden");
        }
    }

    function clearMessages() {
        $all("#o_b2b_cart_alert, #o_b2b_cart_info").forEach(function (node) { node.classList.add("hidden"); });
    }

    /* Put the server's rendering of the lines and totals in place. */
    function applyAnswer(answer) {
        var block = $("#o_b2b_cart_lines");
        if (block && answer.html) {
            var holder = document.createElement("div");
            holder.innerHTML = answer.html;
            var fresh = holder.querySelector("#o_b2b_cart_lines");
            if (fresh) { block.parentNode.replaceChild(fresh, block); }
        }
        b2b.setCartCount(answer.line_count);
        var save = $("#o_b2b_cart_save");
        if (save) { save.disabled = true; }
        // the page was empty: the forms below the lines appear after a reload
        if (!$(".o_b2b_cart_forms") && answer.line_count) { window.location.reload(); }
    }

    function changedLines() {
        return $all("#o_b2b_cart_lines input.o_b2b_qty").filter(function (input) {
            return input.value !== input.getAttribute("data-original");
        }).map(function (input) {
            return [parseInt(input.getAttribute("data-product-id"), 10), input.value === "" ? "0" : input.value];
        });
    }

    function busy(button, on) {
        if (button) { button.disabled = on; }
        document.body.classList.toggle("o_b2b_busy", on);
    }

    /* "Save changes": every changed quantity in one call. */
    function saveChanges() {
        var lines = changedLines();
        var button = $("#o_b2b_cart_save");
        if (!lines.length) { return Promise.resolve(); }
        busy(button, true);
        return b2b.rpc("/b2b/cart/update", {cart_id: cartId(), lines: lines}).then(function (answer) {
            busy(button, false);
            applyAnswer(answer);
            clearMessages();
        }, function (error) {
            busy(button, false);
            showError(error.message);
        });
    }

    function removeLine(productId) {
        return b2b.rpc("/b2b/cart/update", {cart_id: cartId(), lines: [[productId, 0]]}).then(function (answer) {
            applyAnswer(answer);
            clearMessages();
        }, function (error) { showError(error.message); });
    }

    /* Quick add: suggestions from the catalog's /b2b/suggest while typing; add by exact SKU or
       by the suggestion picked. */
    var picked = null;
    var suggestTimer = null;
    var suggestSeq = 0;

    function hideSuggestions() {
        var list = $("#o_b2b_suggestions");
        if (list) { list.style.display = "none"; list.innerHTML = ""; }
    }

    function showSuggestions(items) {
        var list = $("#o_b2b_suggestions");
        if (!list) { return; }
        list.innerHTML = "";
        (items || []).forEach(function (item) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = "#";
            a.className = "o_b2b_suggestion";
            a.setAttribute("data-product-id", item.id);
            a.setAttribute("data-sku", item.sku || "");
            var code = document.createElement("strong");
            code.textContent = item.sku || "";
            a.appendChild(code);
            a.appendChild(document.createTextNode(" " + (item.name || "")));
            if (item.price_text) {
                /* the price under the contract, or "price on request" (the cart refuses those) */
                var price = document.createElement("small");
                price.className = "text-muted o_b2b_suggest_price" + (item.on_request ? " o_b2b_on_request" : "");
                price.textContent = " · " + item.price_text;
                a.appendChild(price);
            }
            li.appendChild(a);
            list.appendChild(li);
        });
        list.style.display = items && items.length ? "block" : "none";
    }

    function suggest(term) {
        var seq = ++suggestSeq;
        if (term.length < 2) { hideSuggestions(); return; }
        b2b.rpc("/b2b/suggest", {term: term, limit: 10}).then(function (items) {
            if (seq === suggestSeq) { showSuggestions(items); }
        }, function () { hideSuggestions(); });   // no suggestions: typing the exact SKU still works
    }

    function quickAdd(form) {
        var skuInput = $("#o_b2b_quick_sku", form);
        var qtyInput = $("#o_b2b_quick_qty", form);
        var params = {cart_id: cartId(), qty: qtyInput.value || "1"};
        var sku = skuInput.value.trim();
        if (picked && picked.sku === sku) { params.product_id = picked.id; } else { params.sku = sku; }
        if (!sku) { skuInput.focus(); return; }
        var button = $(".o_b2b_quick_add_btn", form);
        busy(button, true);
        b2b.rpc("/b2b/cart/quick_add", params).then(function (answer) {
            busy(button, false);
            applyAnswer(answer);
            showInfo(answer.added.sku + " × " + answer.added.qty + " ✓");
            skuInput.value = "";
            qtyInput.value = "1";
            picked = null;
            hideSuggestions();
            skuInput.focus();
        }, function (error) {
            busy(button, false);
            showError(error.message);
        });
    }

    function pasteList(form) {
        var text = $("#o_b2b_paste", form).value;
        var button = $(".o_b2b_paste_btn", form);
        busy(button, true);
        b2b.rpc("/b2b/cart/paste", {cart_id: cartId(), text: text}).then(function (answer) {
            busy(button, false);
            applyAnswer(answer);
            $("#o_b2b_paste", form).value = "";
            showInfo("+" + answer.added + " ✓");
        }, function (error) {
            busy(button, false);
            showError(error.message);
        });
    }

    document.addEventListener("input", function (event) {
        var target = event.target;
        if (!target) { return; }
        if (target.matches && target.matches("#o_b2b_cart_lines input.o_b2b_qty")) {
            var save = $("#o_b2b_cart_save");
            if (save) { save.disabled = changedLines().length === 0; }
        } else if (target.id === "o_b2b_quick_sku") {
            picked = null;
            clearTimeout(suggestTimer);
            var term = target.value.trim();
            suggestTimer = setTimeout(function () { suggest(term); }, 200);
        }
    });

    document.addEventListener("keydown", function (event) {
        // Enter in a quantity of the cart saves the changes instead of submitting a form
        if (event.key === "Enter" && event.target.matches &&
                event.target.matches("#o_b2b_cart_lines input.o_b2b_qty")) {
            event.preventDefault();
            saveChanges();
        } else if (event.key === "Escape" && event.target.id === "o_b2b_quick_sku") {
            hideSuggestions();
        }
    });

    document.addEventListener("click", function (event) {
        var target = event.target.closest ? event.target : null;
        if (!target) { return; }
        var suggestion = target.closest(".o_b2b_suggestion");
        if (suggestion) {
            event.preventDefault();
            picked = {id: parseInt(suggestion.getAttribute("data-product-id"), 10),
                      sku: suggestion.getAttribute("data-sku")};
            $("#o_b2b_quick_sku").value = picked.sku;
            hideSuggestions();
            $("#o_b2b_quick_qty").focus();
            return;
        }
        if (target.closest("#o_b2b_cart_save")) {
            event.preventDefault();
            saveChanges();
            return;
        }
        var remove = target.closest(".o_b2b_line_remove");
        if (remove) {
            event.preventDefault();
            removeLine(parseInt(remove.getAttribute("data-product-id"), 10));
            return;
        }
        if (!target.closest(".o_b2b_suggest_wrap")) { hideSuggestions(); }
        var deleteButton = target.closest(".o_b2b_delete_btn");
        if (deleteButton && deleteButton.getAttribute("data-confirm") &&
                !window.confirm(deleteButton.getAttribute("data-confirm"))) {
            event.preventDefault();
        }
    });

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (form.id === "o_b2b_quick_add") {
            event.preventDefault();
            quickAdd(form);
        } else if (form.id === "o_b2b_paste_form") {
            event.preventDefault();
            pasteList(form);
        } else if (form.id === "o_b2b_checkout_form" && changedLines().length) {
            // quantities typed but not saved yet: save them first, then place the order
            event.preventDefault();
            saveChanges().then(function () {
                if ($("#o_b2b_cart_alert.hidden") || !$("#o_b2b_cart_alert")) { form.submit(); }
            });
        }
    });
})();
