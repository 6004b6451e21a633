"""Commission reports out to a spreadsheet for the supplier's accountants: one row per report
line with its agent, contract, month and state, the quantity held, sold, price, amount and
commission, amounts as numbers. Plain Python: the ORM layer gives the rows and the translated
column titles."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font

COLUMNS = ("agent", "contract", "month", "state", "sku", "product", "held", "sold", "price",
           "amount", "percent", "commission")
NUMBER_COLUMNS = {"held": "#,##0.###", "sold": "#,##0.###", "price": "#,##0.00",
                  "amount": "#,##0.00", "percent": "0.00", "commission": "#,##0.00"}
WIDTHS = {"agent": 28, "contract": 16, "month": 9, "state": 14, "sku": 14, "product": 36}


def reports_workbook(title, titles, rows):
    """xlsx bytes: ``title`` on top, the header of ``titles`` ({column: title}) and ``rows``
    (dicts keyed by COLUMNS), then the totals of amount and commission."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([titles[key] for key in COLUMNS])
    header = sheet.max_row
    for column in range(1, len(COLUMNS) + 1):
        sheet.cell(row=header, column=column).font = Font(bold=True)
    totals = {"amount": 0.0, "commission": 0.0}
    for row in rows:
        sheet.append([row.get(key) for key in COLUMNS])
        for key in totals:
            totals[key] += row.get(key) or 0.0
    sheet.append([titles["total"]] + [None] * (len(COLUMNS) - 1))
    last = sheet.max_row
    sheet.cell(row=last, column=1).font = Font(bold=True)
    for key, value in totals.items():
        cell = sheet.cell(row=last, column=COLUMNS.index(key) + 1, value=round(value, 2))
        cell.font = Font(bold=True)
    for index, key in enumerate(COLUMNS, 1):
        letter = sheet.cell(row=header, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(key, 12)
        if key in NUMBER_COLUMNS:
            for number in range(header + 1, last + 1):
                sheet.cell(row=number, column=index).number_format = NUMBER_COLUMNS[key]
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
