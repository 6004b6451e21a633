/* Dealer portal: order edit form and staff page (plain browser JavaScript, no framework).
   The server checks everything; this only makes the forms handier. */
(function () {
    "use strict";

    function closest(node, selector) {
        while (node && node.nodeType === 1) {
            if (node.matches(selector)) {
                return node;
            }
            node = node.parentNode;
        }
        return null;
    }

    /* Order edit: "Add a line" adds one more empty SKU row. */
    document.addEventListener("click", function (event) {
        var button = closest(event.target, ".o_b2b_add_row");
        if (!button) {
            return;
        }
        var form = closest(button, "form");
        var rows = form.querySelectorAll("tr.o_b2b_new_line");
        if (!rows.length) {
            return;
        }
        var last = rows[rows.length - 1];
        var copy = last.cloneNode(true);
        var inputs = copy.querySelectorAll("input");
        for (var i = 0; i < inputs.length; i++) {
            inputs[i].value = "";
        }
        var number = copy.querySelector("td");
        if (number && /^\d+$/.test(number.textContent.trim())) {
            number.textContent = parseInt(number.textContent, 10) + 1;
        }
        last.parentNode.insertBefore(copy, last.nextSibling);
        var sku = copy.querySelector(".o_b2b_new_sku");
        if (sku) {
            sku.focus();
        }
    });

    document.addEventListener("change", function (event) {
        var target = event.target;
        /* Order edit: a line ticked for removal is shown struck through. */
        if (target.classList && target.classList.contains("o_b2b_remove")) {
            var row = closest(target, "tr");
            if (row) {
                row.classList.toggle("o_b2b_removed", target.checked);
            }
        }
        /* Staff: the outlet contract is asked for the outlet role only. */
        if (target.classList && target.classList.contains("o_b2b_role_select")) {
            var container = target.parentNode;
            var contract = container.querySelector(".o_b2b_contract_field");
            if (contract) {
                contract.classList.toggle("hidden", target.value !== "outlet");
            }
        }
    });

    /* Forms that undo something ask first (the question is the form's "confirm" attribute). */
    document.addEventListener("submit", function (event) {
        var form = event.target;
        var question = form.getAttribute && form.getAttribute("confirm");
        if (question && !window.confirm(question)) {
            event.preventDefault();
        }
    });

    document.addEventListener("DOMContentLoaded", function () {
        var ticked = document.querySelectorAll(".o_b2b_remove:checked");
        for (var i = 0; i < ticked.length; i++) {
            var row = closest(ticked[i], "tr");
            if (row) {
                row.classList.add("o_b2b_removed");
            }
        }
    });
})();
