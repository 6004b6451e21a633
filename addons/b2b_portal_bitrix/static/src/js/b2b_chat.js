/* The chat with the manager: the panel behind the floating button, the page /b2b/chat, the unread
   counter, live replies from Odoo's bus through the page's one listener (b2b.bus of
   b2b_common.js) when the page says the bus answers here (data-bus), else or when it fails the
   unread count asked every 30 s (every 5 s for two minutes after the user wrote).
   Plain browser JavaScript; without it the button is a link and the form posts. */
(function () {
    "use strict";
    var FALLBACK_MS = 30000;
    // right after the user wrote, the answer is likely soon: asked every 5 s for two minutes
    var EAGER_FOR_MS = 120000;

    function rpc(url, params) {
        return window.b2b.rpc(url, params);
    }

    function setUnread(count) {
        window.b2b.showCount(".o_b2b_chat_unread", count);
    }

    function deliveryNode(message, labels) {
        /* under a dealer's message Bitrix24 refused: "Not delivered to your manager" and the
           "Send again" form (the same the page renders); under one queued again: "Sending..." */
        var node, text;
        if (message.delivery === "failed") {
            node = document.createElement("form");
            node.method = "post";
            node.action = "/b2b/chat/resend/" + message.id;
            node.className = "o_b2b_chat_delivery o_b2b_chat_failed small text-danger";
            var token = document.createElement("input");
            token.type = "hidden";
            token.name = "csrf_token";
            token.value = labels.csrf;
            node.appendChild(token);
        } else if (message.delivery === "sending") {
            node = document.createElement("div");
            node.className = "o_b2b_chat_delivery o_b2b_chat_sending small text-muted";
        } else {
            return null;
        }
        text = document.createElement("div");
        text.className = "o_b2b_chat_delivery_text";
        text.textContent = message.delivery === "failed" ? labels.failed : labels.sending;
        node.appendChild(text);
        if (message.delivery === "failed") {
            var button = document.createElement("button");
            button.type = "submit";
            button.className = "btn btn-link btn-xs o_b2b_chat_resend";
            button.textContent = labels.resend;
            node.appendChild(button);
        }
        return node;
    }

    function messageNode(message, labels) {
        var node = document.createElement("div");
        node.className = "o_b2b_chat_message " + (message.mine ? "o_b2b_chat_mine" :
            (message.from_manager ? "o_b2b_chat_manager" : "o_b2b_chat_colleague"));
        node.setAttribute("data-id", message.id);
        var meta = document.createElement("div");
        meta.className = "o_b2b_chat_meta";
        var author = document.createElement("span");
        author.className = "o_b2b_chat_author";
        author.textContent = message.author;
        var date = document.createElement("span");
        date.className = "o_b2b_chat_date";
        date.textContent = window.b2b.localDate(message.date);
        meta.appendChild(author);
        meta.appendChild(date);
        node.appendChild(meta);
        var body = document.createElement("div");
        body.className = "o_b2b_chat_body";
        body.innerHTML = message.body;  // sanitized by the server (mail.message body)
        node.appendChild(body);
        if (message.files && message.files.length) {
            var list = document.createElement("ul");
            list.className = "o_b2b_chat_attachments list-unstyled";
            message.files.forEach(function (file) {
                var item = document.createElement("li");
                var link = document.createElement("a");
                link.href = file.url;
                link.textContent = "\uD83D\uDCCE " + file.name;
                item.appendChild(link);
                list.appendChild(item);
            });
            node.appendChild(list);
        }
        var delivery = deliveryNode(message, labels);
        if (delivery) {
            node.appendChild(delivery);
        }
        return node;
    }

    function labelsOf(root, form) {
        /* the words of the delivery mark, as the page wrote them in the user's language */
        function text(name, fallback) {
            var node = root.querySelector(".o_b2b_chat_label_" + name);
            return node ? node.textContent : fallback;
        }
        var token = form.querySelector("input[name='csrf_token']");
        return {failed: text("failed", "Not delivered to your manager"),
                resend: text("resend", "Send again"), sending: text("sending", "Sending\u2026"),
                csrf: token ? token.value : ""};
    }

    function Chat(root, panel) {
        this.root = root;
        this.panel = panel;  // null on the page /b2b/chat
        this.list = root.querySelector(".o_b2b_chat_messages");
        this.form = root.querySelector(".o_b2b_chat_form");
        this.error = root.querySelector(".o_b2b_chat_error");
        this.loaded = !panel;
        this.labels = labelsOf(root, this.form);
        var self = this;
        this.form.addEventListener("submit", function (event) {
            event.preventDefault();
            self.send();
        });
        this.form.querySelector(".o_b2b_chat_text").addEventListener("keydown", function (event) {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                self.send();
            }
        });
        this.list.addEventListener("click", function (event) {
            var older = event.target.closest && event.target.closest(".o_b2b_chat_older");
            if (older) {
                event.preventDefault();
                self.loadOlder();
            }
        });
        this.list.addEventListener("submit", function (event) {
            var resend = event.target.closest && event.target.closest(".o_b2b_chat_failed");
            if (resend) {
                event.preventDefault();
                self.resend(resend);
            }
        });
        var dates = this.list.querySelectorAll(".o_b2b_chat_date[data-date]");
        for (var i = 0; i < dates.length; i++) {
            dates[i].textContent = window.b2b.localDate(dates[i].getAttribute("data-date"));
        }
        this.scrollDown();
    }

    Chat.prototype.isOpen = function () {
        return !this.panel || !this.panel.classList.contains("hidden");
    };

    Chat.prototype.scrollDown = function () {
        this.list.scrollTop = this.list.scrollHeight;
    };

    Chat.prototype.has = function (id) {
        return !!this.list.querySelector('.o_b2b_chat_message[data-id="' + id + '"]');
    };

    Chat.prototype.append = function (message) {
        var shown = this.list.querySelector('.o_b2b_chat_message[data-id="' + message.id + '"]');
        if (shown) {
            // the same message again (its delivery changed): shown anew in its place
            shown.parentNode.replaceChild(messageNode(message, this.labels), shown);
            return;
        }
        var empty = this.list.querySelector(".o_b2b_chat_empty");
        if (empty) {
            empty.parentNode.removeChild(empty);
        }
        this.list.appendChild(messageNode(message, this.labels));
        this.root.setAttribute("data-last", message.id);
        this.scrollDown();
    };

    Chat.prototype.olderLink = function (more, oldest) {
        var link = this.list.querySelector(".o_b2b_chat_older");
        if (link) {
            link.href = "/b2b/chat?before=" + oldest;
            link.classList.toggle("hidden", !more);
            this.list.insertBefore(link, this.list.firstChild);
        }
    };

    Chat.prototype.load = function () {
        var self = this;
        return rpc("/b2b/chat/history", {}).then(function (state) {
            self.loaded = true;
            state.messages.forEach(function (message) { self.append(message); });
            var first = state.messages[0];
            self.root.setAttribute("data-oldest", first ? first.id : 0);
            self.olderLink(state.more, first ? first.id : 0);
            self.scrollDown();
            return self.markRead();
        });
    };

    Chat.prototype.loadOlder = function () {
        var self = this;
        var oldest = parseInt(this.root.getAttribute("data-oldest"), 10) || 0;
        if (!oldest) {
            var first = this.list.querySelector(".o_b2b_chat_message");
            oldest = first ? parseInt(first.getAttribute("data-id"), 10) : 0;
        }
        return rpc("/b2b/chat/history", {before_id: oldest}).then(function (state) {
            var anchor = self.list.querySelector(".o_b2b_chat_message");
            state.messages.forEach(function (message) {
                if (!self.has(message.id)) {
                    self.list.insertBefore(messageNode(message, self.labels), anchor);
                }
            });
            var first = state.messages[0];
            if (first) {
                self.root.setAttribute("data-oldest", first.id);
            }
            self.olderLink(state.more, first ? first.id : oldest);
        });
    };

    Chat.prototype.markRead = function () {
        var last = this.root.getAttribute("data-last");
        return rpc("/b2b/chat/read", {message_id: parseInt(last, 10) || null}).then(function (state) {
            setUnread(state.unread);
        });
    };

    Chat.prototype.send = function () {
        var self = this;
        var data = new FormData(this.form);
        data.append("json", "1");
        var button = this.form.querySelector(".o_b2b_chat_send");
        button.disabled = true;
        this.error.classList.add("hidden");
        return fetch(this.form.action, {method: "POST", body: data, credentials: "same-origin"})
            .then(function (response) {
                return response.json().then(function (reply) {
                    if (!response.ok || reply.error) {
                        throw new Error(reply.error || response.statusText);
                    }
                    return reply;
                });
            })
            .then(function (reply) {
                self.append(reply.message);
                if (self.live) {
                    self.live.expectReply();
                }
                self.form.querySelector(".o_b2b_chat_text").value = "";
                self.form.querySelector(".o_b2b_chat_files").value = "";
            })
            .catch(function (error) {
                self.error.textContent = error.message;
                self.error.classList.remove("hidden");
            })
            .then(function () { button.disabled = false; });
    };

    Chat.prototype.resend = function (form) {
        /* "Send again" under a message Bitrix24 refused: queued at once, shown as being sent */
        var self = this;
        var data = new FormData(form);
        data.append("json", "1");
        var button = form.querySelector(".o_b2b_chat_resend");
        if (button) {
            button.disabled = true;
        }
        return fetch(form.action, {method: "POST", body: data, credentials: "same-origin"})
            .then(function (response) {
                return response.json().then(function (reply) {
                    if (!response.ok || reply.error) {
                        throw new Error(reply.error || response.statusText);
                    }
                    return reply;
                });
            })
            .then(function (reply) { self.append(reply.message); })
            .catch(function (error) {
                if (button) {
                    button.disabled = false;
                }
                self.error.textContent = error.message;
                self.error.classList.remove("hidden");
            });
    };

    Chat.prototype.received = function (message) {
        if (this.loaded) {
            this.append(message);
        }
        if (this.isOpen() && this.loaded && document.visibilityState !== "hidden") {
            return this.markRead();
        }
        return null;
    };

    /* The chat follows the page's one live listener on Odoo's bus (b2b.bus of b2b_common.js: the
       server listens on the user's own partner channel); where the bus does not answer, the
       listener asks the unread count every 30 s, every 5 s for two minutes after the user wrote. */
    function Live(chats) {
        var self = this;
        this.chats = chats;
        chats.forEach(function (chat) { chat.live = self; });
    }

    Live.prototype.expectReply = function () {
        if (this.subscription) {
            this.subscription.hurry(EAGER_FOR_MS);
        }
    };

    Live.prototype.start = function () {
        var self = this;
        this.subscription = window.b2b.bus.subscribe("b2b_chat_message", function (payload) {
            if (payload.message) {
                // the count is asked once an open chat has marked the reply read, not before
                var reads = self.chats.map(function (chat) { return chat.received(payload.message); });
                Promise.all(reads).catch(function () { /* asked all the same */ }).then(function () {
                    return self.refreshUnread();
                }).catch(function () { /* the next message tells again */ });
            }
        }, {
            bus: this.chats.some(function (chat) { return chat.root.getAttribute("data-bus") === "1"; }),
            fallback: function () { return self.ask(); },
            every: FALLBACK_MS,
        });
    };

    Live.prototype.refreshUnread = function () {
        /* true when the chat has a message newer than a loaded conversation shows */
        var self = this;
        return rpc("/b2b/chat/unread", {}).then(function (state) {
            setUnread(state.unread);
            return self.chats.some(function (chat) {
                return chat.loaded && state.last_id > (parseInt(chat.root.getAttribute("data-last"), 10) || 0);
            });
        });
    };

    Live.prototype.ask = function () {
        var self = this;
        return this.refreshUnread().then(function (more) {
            if (more) {
                self.chats.forEach(function (chat) {
                    if (chat.loaded) {
                        chat.load();
                    }
                });
            }
        });
    };

    function init() {
        var chats = [];
        var page = document.querySelector(".o_b2b_chat_page .o_b2b_chat");
        if (page) {
            chats.push(new Chat(page, null));
        }
        var panel = document.querySelector(".o_b2b_chat_panel");
        var button = document.querySelector(".o_b2b_chat_button");
        if (panel && button) {
            var chat = new Chat(panel.querySelector(".o_b2b_chat"), panel);
            chats.push(chat);
            button.addEventListener("click", function (event) {
                event.preventDefault();
                var opening = panel.classList.contains("hidden");
                panel.classList.toggle("hidden", !opening);
                button.classList.toggle("o_b2b_chat_button_open", opening);
                if (opening) {
                    (chat.loaded ? chat.markRead() : chat.load()).catch(function (error) {
                        chat.error.textContent = error.message;
                        chat.error.classList.remove("hidden");
                    });
                    panel.querySelector(".o_b2b_chat_text").focus();
                }
            });
            panel.querySelector(".o_b2b_chat_close").addEventListener("click", function () {
                panel.classList.add("hidden");
                button.classList.remove("o_b2b_chat_button_open");
            });
        }
        if (chats.length && window.b2b && window.b2b.bus) {
            new Live(chats).start();
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
