/* The notification bell on every dealer page: its unread count follows what arrives, live from
   Odoo's bus through the page's one listener (b2b.bus of b2b_common.js) when the page says the bus
   answers here (data-bus="1"); otherwise, or when the poll fails twice, the count is asked every
   30 s. On the feed page a new notification is added to the top of the list. Plain browser JavaScript; without it the bell is a link and its count is the page's. */
(function () {
    "use strict";
    var FALLBACK_MS = 30000;
    var BUS_TYPE = "b2b_notification";

    function rpc(url, params) {
        return window.b2b.rpc(url, params);
    }

    function setCount(count) {
        window.b2b.showCount(".o_b2b_bell_count", count);
        var totals = document.querySelectorAll(".o_b2b_notify_unread_total");
        for (var j = 0; j < totals.length; j++) {
            totals[j].textContent = count;
        }
    }

    function ring() {
        var bell = document.querySelector(".o_b2b_bell");
        if (bell) {
            bell.classList.remove("o_b2b_bell_ring");
            void bell.offsetWidth;  // restart the animation
            bell.classList.add("o_b2b_bell_ring");
        }
    }

    function addToList(note) {
        var list = document.querySelector(".o_b2b_notifications .o_b2b_notification_list");
        if (!list || list.querySelector('.o_b2b_notification[data-id="' + note.id + '"]')) {
            return;
        }
        var item = document.createElement("li");
        item.className = "o_b2b_notification list-group-item o_b2b_notification_unread";
        item.setAttribute("data-id", note.id);
        item.setAttribute("data-kind", note.kind);
        var link = document.createElement("a");
        link.className = "o_b2b_notification_link";
        link.href = note.url;
        var date = document.createElement("span");
        date.className = "o_b2b_notification_date text-muted pull-right";
        date.textContent = window.b2b.localDate(note.date);
        var title = document.createElement("strong");
        title.className = "o_b2b_notification_title";
        title.textContent = note.title;
        link.appendChild(date);
        link.appendChild(title);
        if (note.body) {
            var body = document.createElement("div");
            body.className = "o_b2b_notification_body";
            body.textContent = note.body;
            link.appendChild(body);
        }
        item.appendChild(link);
        list.insertBefore(item, list.firstChild);
        var empty = document.querySelector(".o_b2b_notifications .o_b2b_notify_empty");
        if (empty) {
            empty.parentNode.removeChild(empty);
        }
    }

    /* The bell follows the page's one live listener (b2b_common.js): each bus message of its type
       carries the unread count and, for a new notification, the notification; when the bus does
       not answer here the listener asks the count every 30 s. */
    function Bell(link) {
        this.link = link;
        this.known = null;
    }

    Bell.prototype.start = function () {
        var self = this;
        window.b2b.bus.subscribe(BUS_TYPE, function (payload) { self.received(payload); }, {
            bus: this.link.getAttribute("data-bus") === "1",
            fallback: function () { return self.ask(); },
            every: FALLBACK_MS,
        });
    };

    Bell.prototype.received = function (payload) {
        if (typeof payload.unread === "number") {
            setCount(payload.unread);
        }
        if (payload.notification) {
            addToList(payload.notification);
            ring();
        }
    };

    Bell.prototype.ask = function () {
        var self = this;
        return rpc("/b2b/notifications/unread", {}).then(function (state) {
            if (self.known !== null && state.unread > self.known) {
                ring();
            }
            self.known = state.unread;
            setCount(state.unread);
            state.latest.slice().reverse().forEach(function (note) {
                if (!note.is_read) {
                    addToList(note);
                }
            });
        });
    };

    function init() {
        var link = document.querySelector(".o_b2b_bell");
        if (link && window.b2b && window.b2b.bus) {
            new Bell(link).start();
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
