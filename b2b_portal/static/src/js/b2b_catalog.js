/* Catalog and product page of the dealer portal: add to cart and favourite star without reloading
   the page. A product is an element .o_b2b_product[data-product-id] holding a quantity input
   .o_b2b_add_qty, an add button .o_b2b_add, a result line .o_b2b_add_result and a star
   .o_b2b_fav_toggle. Texts come translated from the page (.o_b2b_catalog_messages). */
(function () {
    "use strict";
    var b2b = window.b2b = window.b2b || {};

    function message(name, fallback) {
        var node = document.querySelector(".o_b2b_catalog_messages .o_b2b_msg_" + name);
        return node ? node.textContent.trim() : fallback;
    }

    function productOf(node) {
        while (node && !(node.classList && node.classList.contains("o_b2b_product"))) {
            node = node.parentNode;
        }
        return node;
    }

    function showResult(product, text, isError) {
        var place = product.querySelector(".o_b2b_add_result");
        if (!place) {
            return;
        }
        place.textContent = text;
        place.classList.toggle("text-danger", !!isError);
        place.classList.toggle("o_b2b_add_error", !!isError);
        place.classList.toggle("text-success", !isError);
        place.classList.toggle("o_b2b_add_done", !isError);
    }

    b2b.addToCart = function (product) {
        var input = product.querySelector(".o_b2b_add_qty");
        var button = product.querySelector(".o_b2b_add");
        var qty = input ? input.value : 1;
        if (button) {
            button.disabled = true;
        }
        return b2b.rpc("/b2b/cart/add", {
            product_id: parseInt(product.getAttribute("data-product-id"), 10),
            qty: qty,
        }).then(function (result) {
            b2b.setCartCount(result.count);
            product.setAttribute("data-cart-qty", result.qty);
            var text = message("in_cart", "In cart:") + " " + result.qty;
            if (result.message) {
                text += " (" + result.message + ")";
            }
            showResult(product, text, false);
            return result;
        }, function (error) {
            showResult(product, error.message || message("failed", "The product was not added."), true);
        }).then(function (result) {
            if (button) {
                button.disabled = false;
            }
            return result;
        });
    };

    b2b.toggleFavourite = function (product, star) {
        return b2b.rpc("/b2b/favourite/toggle", {
            product_id: parseInt(product.getAttribute("data-product-id"), 10),
        }).then(function (result) {
            star.classList.toggle("o_b2b_fav_on", result.favourite);
            star.setAttribute("aria-pressed", result.favourite ? "true" : "false");
            var icon = star.querySelector(".fa");
            if (icon) {
                icon.classList.toggle("fa-star", result.favourite);
                icon.classList.toggle("fa-star-o", !result.favourite);
            }
            return result;
        }, function (error) {
            showResult(product, error.message, true);
        });
    };

    document.addEventListener("click", function (event) {
        var target = event.target;
        var button = target.closest ? target.closest(".o_b2b_add, .o_b2b_fav_toggle") : null;
        var product = button && productOf(button);
        if (!product) {
            return;
        }
        event.preventDefault();
        if (button.classList.contains("o_b2b_add")) {
            b2b.addToCart(product);
        } else {
            b2b.toggleFavourite(product, button);
        }
    });

    document.addEventListener("keydown", function (event) {
        var target = event.target;
        if (event.key === "Enter" && target.classList && target.classList.contains("o_b2b_add_qty")) {
            var product = productOf(target);
            if (product) {
                event.preventDefault();
                b2b.addToCart(product);
            }
        }
    });
})();
