/* The finance pages and the debt pop-up of the dealer portal (plain browser JavaScript).
   Everything works without it: the pop-up closes with its checkbox-driven close button, the
   filters are plain forms. This adds keyboard comfort only. */
(function () {
    "use strict";

    function dismissPopup() {
        var toggle = document.getElementById("o_b2b_debt_popup_dismiss");
        if (toggle) {
            toggle.checked = true;
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        var popup = document.getElementById("o_b2b_debt_popup");
        if (popup) {
            var finance = popup.querySelector(".o_b2b_debt_popup_finance");
            if (finance) {
                finance.focus();
            }
            /* a click on the dimmed backdrop closes it as well */
            popup.addEventListener("click", function (event) {
                if (event.target === popup) {
                    dismissPopup();
                }
            });
        }
    });

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" || event.key === "Esc") {
            dismissPopup();
        }
    });

    /* the ledger's contract choice shows that contract's ledger at once */
    document.addEventListener("change", function (event) {
        if (event.target && event.target.id === "o_b2b_finance_contract") {
            event.target.form.submit();
        }
    });
})();
