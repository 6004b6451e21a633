"""The consignment list filled in and saved again by LibreOffice reads as the same report.

The agent may fill the list in LibreOffice Calc: the file then comes back as LibreOffice writes
an xlsx (its own styles, shared strings, computed formulas). ``soffice --headless --convert-to
xlsx`` re-saves our file the way Calc's "Save" does; runtime/bootstrap.sh installs it (Debian's
libreoffice-calc-nogui)."""
import datetime
import io
import os
import shutil
import subprocess

import openpyxl
import pytest

from b2b_commission.lib.consignment_xlsx import ListItem, read_report, write_list


def soffice():
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("soffice (LibreOffice) is not installed: runtime/bootstrap.sh installs it "
                    "(Debian package libreoffice-calc-nogui); run `make test` or "
                    "`bash runtime/bootstrap.sh` as root once")
    return found


def resaved_by_libreoffice(data, tmp_path):
    source = tmp_path / "in" / "отчёт.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    done = subprocess.run(
        [soffice(), "-env:UserInstallation=%s" % profile.as_uri(), "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180, env=dict(os.environ, HOME=str(tmp_path)),
        check=False)
    converted = out / source.name
    assert done.returncode == 0 and converted.is_file(), (done.stdout, done.stderr)
    return converted.read_bytes()


def test_list_filled_and_saved_again_by_libreoffice_reads_the_same(tmp_path):
    goods = [ListItem("DR-1", "Дрель ударная", "шт", 5), ListItem("00123", "Пила", "шт", 2),
             ListItem("GL-7", "Перчатки", "пар", 100)]
    held = {item.sku: item.qty for item in goods}
    data = write_list(goods, "ООО «Комиссионер»", "К-001/2026", datetime.date(2026, 11, 17))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    sheet["E7"], sheet["F7"] = 3, 2499.9
    sheet["E8"], sheet["F8"] = "=1+1", "1 200,50"      # a formula (no value saved by openpyxl)
    sheet["A10"], sheet["E10"], sheet["F10"] = "DR-1", 2, 2100     # the same good at another price
    sheet["A11"], sheet["E11"], sheet["F11"] = "ZZZ", 1, 5         # not on consignment
    out = io.BytesIO()
    workbook.save(out)
    ours = read_report(out.getvalue(), "отчёт.xlsx", held)
    # written by a program that does not compute formulas, the formula has no value yet
    assert [problem.code for problem in ours.problems] == ["formula_no_value",
                                                           "not_on_consignment"]

    resaved = resaved_by_libreoffice(out.getvalue(), tmp_path)
    assert resaved != out.getvalue()
    report = read_report(resaved, "отчёт.xlsx", held)
    assert [(row.row, row.sku, row.qty, row.price) for row in report.rows] == [
        (7, "DR-1", 3.0, 2499.9), (8, "00123", 2.0, 1200.5), (10, "DR-1", 2.0, 2100.0)]
    assert [problem.render() for problem in report.problems] == [
        '"отчёт.xlsx", row 11, column A: the product "ZZZ" is not on consignment under this '
        'contract']
    assert (report.header_row, report.contract, report.period) == (
        6, "К-001/2026", datetime.date(2026, 11, 1))
    assert [(row.row, row.sku, row.qty, row.price) for row in ours.rows] == [
        (7, "DR-1", 3.0, 2499.9), (10, "DR-1", 2.0, 2100.0)]
    sheet = openpyxl.load_workbook(io.BytesIO(resaved)).active
    assert sheet.protection.sheet and not sheet["E9"].protection.locked
