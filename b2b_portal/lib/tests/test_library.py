from b2b_portal.lib.library import (MAX_SIZE, check_period, check_upload, download_name,
                                    mimetype_of, next_number, promotion_state)


def messages(problems):
    return [problem.render() for problem in problems]


def test_an_upload_needs_content_a_name_and_a_bounded_size():
    assert check_upload("manual.pdf", 1200) == []
    assert messages(check_upload("manual.pdf", 0)) == [
        "The file is empty: choose the file of the new version."]
    assert messages(check_upload(" ", 10)) == [
        "The file has no name: give it one with its extension (.pdf, .docx, ...)."]
    assert messages(check_upload("big.zip", MAX_SIZE + 1)) == [
        "The file is 50.0 MB; a version may hold at most 50 MB."]


def test_a_promotion_has_a_period_in_order():
    assert check_period("news", None, None) == []
    assert check_period("promotion", "2026-12-01", "2026-12-31") == []
    assert check_period("promotion", "2026-12-01", "2026-12-01") == []
    assert messages(check_period("promotion", "2026-12-01", None)) == [
        "A promotion needs the first and the last day of its period."]
    assert messages(check_period("promotion", "2026-12-10", "2026-12-01")) == [
        "The promotion ends (2026-12-01) before it starts (2026-12-10)."]


def test_promotion_state_by_day():
    assert promotion_state("2026-12-01", "2026-12-31", "2026-11-30") == "upcoming"
    assert promotion_state("2026-12-01", "2026-12-31", "2026-12-01") == "running"
    assert promotion_state("2026-12-01", "2026-12-31", "2026-12-31") == "running"
    assert promotion_state("2026-12-01", "2026-12-31", "2027-01-01") == "ended"


def test_versions_are_numbered_on():
    assert next_number([]) == 1
    assert next_number([1, 2, 5]) == 6


def test_downloads_carry_their_type_and_name():
    assert mimetype_of("Сертификат.pdf") == "application/pdf"
    assert mimetype_of("readme.txt") == "text/plain"
    assert mimetype_of("data.unknownext") == "application/octet-stream"
    assert download_name("C:\\docs\\Инструкция.pdf", None) == "Инструкция.pdf"
    assert download_name("Инструкция.pdf", 2) == "Инструкция.v2.pdf"
    assert download_name("", None) == "file"
    assert download_name("a\nb.txt", None) == "ab.txt"


def test_the_demo_pdf_is_a_pdf_with_its_text():
    from b2b_portal.lib.library import simple_pdf
    data = simple_pdf(["Certificate (EAEU)", "valid until 2027"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"(Certificate \\(EAEU\\)) Tj" in data
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref:xref + 4] == b"xref"
