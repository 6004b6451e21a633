"""The accountants' spreadsheet of commission reports (lib/report_export.py)."""
import io

import openpyxl

from b2b_commission.lib.report_export import COLUMNS, reports_workbook

TITLES = dict({key: key.title() for key in COLUMNS}, total="Итого")


def test_rows_amounts_as_numbers_and_totals():
    rows = [dict(agent="ООО «Комиссионер»", contract="К-7", month="05.2024", state="Approved",
                 sku="DR-1", product="Дрель", held=5.0, sold=2.0, price=3000.0, amount=6000.0,
                 percent=15.0, commission=900.0),
            dict(agent="ООО «Комиссионер»", contract="К-7", month="05.2024", state="Approved",
                 sku="HS-3", product="Шланг", held=10.0, sold=4.0, price=250.0, amount=1000.0,
                 percent=10.0, commission=100.0)]
    sheet = openpyxl.load_workbook(io.BytesIO(reports_workbook("Отчёты комиссионеров", TITLES,
                                                               rows))).active
    assert sheet.cell(row=1, column=1).value == "Отчёты комиссионеров"
    assert [c.value for c in sheet[3]] == [TITLES[key] for key in COLUMNS]
    assert [c.value for c in sheet[4]][4:] == ["DR-1", "Дрель", 5, 2, 3000, 6000, 15, 900]
    total = [c.value for c in sheet[6]]
    assert total[0] == "Итого"
    assert (total[COLUMNS.index("amount")], total[COLUMNS.index("commission")]) == (7000, 1000)
    assert sheet.cell(row=4, column=COLUMNS.index("price") + 1).number_format == "#,##0.00"
