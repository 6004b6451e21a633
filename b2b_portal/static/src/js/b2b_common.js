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

    /* The page's one live listener on Odoo's bus: a single long-poll loop on /longpolling/poll
       (the server adds the user's own partner channel), however many parts of the page follow it.
       A part subscribes to the message type it cares about, says whether its page says the bus
       answers here, and gives a function that asks its state (a promise):

           var live = b2b.bus.subscribe("b2b_notification", function (payload) { ... },
                                        {bus: true, fallback: askCount, every: 30000});
           live.hurry(120000);   // ask every 5 s for the next two minutes

       When no part says the bus answers here, or the poll fails twice in a row (a first failure
       is retried after 5 s), the listener stops polling and calls each part's fallback instead:
       at once when the bus failed (it may have missed a message), then every `every` ms, every
       5 s while the part is hurried. */
    b2b.bus = (function () {
        var POLL_URL = "/longpolling/poll";
        var NEXT_MS = 100;      // between two polls
        var RETRY_MS = 5000;    // after a failed poll
        var TICK_MS = 5000;     // the fallback's clock (the shortest period a part is asked)
        var parts = [];
        var last = 0;           // the last bus notification seen, for the next poll
        var failures = 0;
        var state = "idle";     // "idle", "bus" (polling), "fallback" (asking the parts)
        var starting = false;

        function ask(part) {
            part.lastAsked = Date.now();
            if (!part.fallback) {
                return;
            }
            try {
                Promise.resolve(part.fallback()).catch(function () { /* offline: next round */ });
            } catch (error) { /* the next round tries again */ }
        }

        function tick() {
            var now = Date.now();
            parts.forEach(function (part) {
                if (now - part.lastAsked >= part.every || now < part.eagerUntil) {
                    ask(part);
                }
            });
        }

        function fallback(missed) {
            if (state === "fallback") {
                return;
            }
            state = "fallback";
            var now = Date.now();
            parts.forEach(function (part) {
                part.lastAsked = now;
                if (missed) {  // the bus failed: what it did not bring is asked at once
                    ask(part);
                }
            });
            setInterval(tick, TICK_MS);
        }

        function deliver(notes) {
            (notes || []).forEach(function (note) {
                last = Math.max(last, note.id);
                var payload = note.message || {};
                parts.forEach(function (part) {
                    if (payload.type === part.type) {
                        try {
                            part.onMessage(payload);
                        } catch (error) {
                            window.console && console.error(error);
                        }
                    }
                });
            });
        }

        function poll() {
            b2b.rpc(POLL_URL, {channels: [], last: last, options: {}}).then(function (notes) {
                failures = 0;
                deliver(notes);
                setTimeout(poll, NEXT_MS);
            }).catch(function () {
                failures += 1;
                if (failures >= 2) {
                    fallback(true);
                } else {
                    setTimeout(poll, RETRY_MS);
                }
            });
        }

        function start() {
            starting = false;
            if (state !== "idle" || !parts.length) {
                return;
            }
            if (parts.some(function (part) { return part.bus; })) {
                state = "bus";
                poll();
            } else {
                fallback(false);
            }
        }

        function Subscription(type, onMessage, options) {
            this.type = type;
            this.onMessage = onMessage;
            this.bus = !!options.bus;
            this.fallback = options.fallback || null;
            this.every = options.every || 30000;
            this.eagerUntil = 0;
            this.lastAsked = Date.now();
        }

        /* Ask this part every 5 s for the next `ms` milliseconds while the bus does not answer. */
        Subscription.prototype.hurry = function (ms) {
            this.eagerUntil = Date.now() + ms;
        };

        return {
            subscribe: function (type, onMessage, options) {
                var part = new Subscription(type, onMessage, options || {});
                parts.push(part);
                if (state === "idle" && !starting) {
                    // the parts of the page subscribe as it loads: one start once they all have
                    starting = true;
                    setTimeout(start, 0);
                } else if (state === "fallback") {
                    part.lastAsked = Date.now();
                }
                return part;
            },
            /* "bus" while the long-poll answers, "fallback" when the parts are asked instead */
            state: function () { return state; },
        };
    })();

    /* A time the server sends ("YYYY-MM-DD HH:MM:SS", UTC) as the browser's local
       "DD.MM.YYYY HH:MM"; a text that is no such time is returned as it is. */
    b2b.localDate = function (text) {
        var d = new Date(String(text).replace(" ", "T") + "Z");
        if (isNaN(d.getTime())) {
            return text;
        }
        function two(n) { return (n < 10 ? "0" : "") + n; }
        return two(d.getDate()) + "." + two(d.getMonth() + 1) + "." + d.getFullYear() + " " +
            two(d.getHours()) + ":" + two(d.getMinutes());
    };

    /* Every badge of ``selector`` shows ``count``, hidden while it is 0. */
    b2b.showCount = function (selector, count) {
        var badges = document.querySelectorAll(selector);
        for (var i = 0; i < badges.length; i++) {
            badges[i].textContent = count;
            badges[i].classList.toggle("hidden", !count);
        }
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
