from b2b_bitrix_bridge.lib import chat


def event_data(*messages):
    """A data block of ONIMCONNECTORMESSAGEADD as the event intake parses it (strings only)."""
    return {"CONNECTOR": "b2b_dealer_portal", "LINE": "7",
            "MESSAGES": {str(i): m for i, m in enumerate(messages)}}


def reply(chat_id="dealer-17", im_chat="1807", im_message="86497", text="[b]Иван Петров:[/b] [br]Добрый день!",
          files=None, user_id="27"):
    item = {"im": {"chat_id": im_chat, "message_id": im_message},
            "message": {"user_id": user_id, "text": text},
            "chat": {"id": chat_id}}
    if files is not None:
        item["message"]["files"] = files
    return item


# ------------------------------------------------------------------------------ outgoing
def test_dealer_message_item_carries_ids_names_text_and_files():
    item = chat.outgoing_item(
        501, 1773265993, "Нужен счёт", [("https://portal/b2b/chat/file/9?token=abc", "spec.pdf")],
        {"partner_id": 44, "name": "Пётр (закупки) Сидоров-Иванов №2", "email": "p@alfa.ru",
         "phone": "+7 999 000-00-00"},
        {"dealer_id": 17, "name": "Альфа-Дилер", "url": "https://portal/b2b/chat"})
    assert item == {
        "user": {"id": "partner-44", "name": "Пётр", "last_name": "закупки Сидоров-Иванов",
                 "email": "p@alfa.ru", "phone": "+7 999 000-00-00"},
        "message": {"id": "odoo-501", "date": 1773265993, "text": "Нужен счёт",
                    "files": [{"url": "https://portal/b2b/chat/file/9?token=abc", "name": "spec.pdf"}]},
        "chat": {"id": "dealer-17", "name": "Альфа-Дилер", "url": "https://portal/b2b/chat"},
    }
    params = chat.send_messages_params("b2b_dealer_portal", "7", [item])
    assert params["LINE"] == 7 and params["CONNECTOR"] == "b2b_dealer_portal"
    assert params["MESSAGES"] == [item]


def test_names_keep_letters_spaces_hyphens_apostrophes_within_25_characters():
    assert chat.clean_name("O'Neil-Smith <script>") == "O'Neil-Smith script"
    assert chat.clean_name("Александр 123 Константинопольский") == "Александр"
    assert len(chat.clean_name("А" * 40)) == 25
    assert chat.split_name("Константин Константинопольский-Преображенский") == (
        "Константин", "Константинопольский-Преоб")
    assert chat.split_name("1234 ###") == ("Dealer", "")


def test_sent_results_tell_refused_items():
    result = {"SUCCESS": True, "DATA": {"RESULT": [
        {"message": {"id": "odoo-1"}, "SUCCESS": True},
        {"message": {"id": "odoo-2"}, "SUCCESS": False, "ERRORS": ["WRONG_USER"]}]}}
    assert chat.sent_results(result) == {"odoo-1": (True, ""), "odoo-2": (False, "WRONG_USER")}


def test_a_refused_message_is_sent_again_after_1_5_30_minutes_then_left():
    assert [chat.resend_delay(n) for n in range(0, 6)] == [None, 1, 5, 30, None, None]


# ------------------------------------------------------------------------------ incoming
def test_reply_is_read_with_signature_apart_and_files():
    files = {"0": {"link": "https://b24.example/disk/1/price.xlsx", "name": "price.xlsx"},
             "1": {"link": "javascript:alert(1)", "name": "evil"}}
    messages, problems = chat.parse_message_event(event_data(reply(files=files)))
    assert len(messages) == 1
    message = messages[0]
    assert (message.chat_id, message.dealer_id, message.im_chat_id, message.im_message_id,
            message.operator_id, message.signature, message.text) == (
        "dealer-17", 17, "1807", "86497", "27", "Иван Петров", "Добрый день!")
    assert message.files == [("https://b24.example/disk/1/price.xlsx", "price.xlsx")]
    assert message.key == "dealer-17:86497"
    assert [p.location for p in problems] == ["data[MESSAGES][0][message][files][1][link]"]


def test_unusable_items_are_reported_at_their_place_and_the_others_kept():
    data = event_data(
        reply(im_message="1"),
        reply(chat_id=""),
        reply(im_message=""),
        reply(chat_id="whatsapp-5", im_message="3"),
        reply(im_message="4", text="[b]Иван:[/b] [br]", files={}),
        reply(im_message="5", text="Без подписи"))
    messages, problems = chat.parse_message_event(data)
    assert [m.im_message_id for m in messages] == ["1", "5"]
    assert messages[1].signature == "" and messages[1].text == "Без подписи"
    assert [p.location for p in problems] == [
        "data[MESSAGES][1][chat][id]", "data[MESSAGES][2][im][message_id]",
        "data[MESSAGES][3][chat][id]", "data[MESSAGES][4][message][text]"]
    for problem in problems:
        assert "skipped" in problem.message_en and "пропущено" in problem.message_ru


def test_messages_as_a_json_list_and_an_empty_event():
    messages, problems = chat.parse_message_event({"MESSAGES": [reply(im_message="9")]})
    assert [m.im_message_id for m in messages] == ["9"] and not problems
    messages, problems = chat.parse_message_event({"LINE": "7"})
    assert messages == [] and [p.location for p in problems] == ["data[MESSAGES]"]


def test_delivery_status_names_bitrix_ids_and_ours():
    message = chat.parse_message_event(event_data(reply()))[0][0]
    assert chat.delivery_status_params("b2b_dealer_portal", 7, [(message, 812)], 1773759161) == {
        "CONNECTOR": "b2b_dealer_portal", "LINE": 7, "MESSAGES": [{
            "im": {"chat_id": "1807", "message_id": "86497"},
            "message": {"id": ["odoo-812"], "date": 1773759161},
            "chat": {"id": "dealer-17"}}]}


# ------------------------------------------------------------------------------ BB-code
def test_bbcode_becomes_safe_html():
    assert chat.bbcode_to_html("[b]Цена[/b] [i]и[/i] [u]срок[/u] [s]старое[/s][br]строка\nещё") == (
        "<strong>Цена</strong> <em>и</em> <u>срок</u> <s>старое</s><br/>строка<br/>ещё")
    assert chat.bbcode_to_html("<script>alert(1)</script> & \"x\"") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;")
    assert chat.bbcode_to_html("[QUOTE]было[/QUOTE]стало") == "<blockquote>было</blockquote>стало"


def test_bbcode_links_only_http_and_unknown_tags_dropped():
    assert chat.bbcode_to_html("[url=https://a.ru/x?a=1&b=2]прайс[/url]") == (
        '<a href="https://a.ru/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">'
        "прайс</a>")
    assert chat.bbcode_to_html("[url]http://a.ru[/url]") == (
        '<a href="http://a.ru" target="_blank" rel="noopener noreferrer nofollow">http://a.ru</a>')
    assert chat.bbcode_to_html("[url=javascript:alert(1)]click[/url]") == "click"
    assert chat.bbcode_to_html('[url=http://a.ru" onclick="x]y[/url]') == "y"
    assert chat.bbcode_to_html('[url=http://a.ru"onclick="x]y[/url]') == (
        '<a href="http://a.ru&quot;onclick=&quot;x" target="_blank" '
        'rel="noopener noreferrer nofollow">y</a>')
    assert chat.bbcode_to_html("[USER=5]Иван[/USER] [color=red]важно[/color]") == "Иван важно"


def test_bbcode_unbalanced_tags_are_closed_or_dropped():
    assert chat.bbcode_to_html("[b]жирный [i]курсив") == "<strong>жирный <em>курсив</em></strong>"
    assert chat.bbcode_to_html("текст[/b][/url]") == "текст"
    assert chat.bbcode_to_html("[b]a[i]b[/b]c[/i]") == "<strong>a<em>b</em></strong>c"


def test_plain_dealer_text_is_escaped_with_line_breaks():
    assert chat.plain_to_html(" <b>да</b>\r\nнет ") == "&lt;b&gt;да&lt;/b&gt;<br/>нет"
