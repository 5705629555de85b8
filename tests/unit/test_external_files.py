"""Real third-party files (../shared/data/external, see SOURCES.md) through the ingest layer.

Expected figures are computed here with the csv module, independently of core.ingest.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from core.errors import IngestError
from core.ingest import read_customers, read_table

AS_OF = dt.date(2026, 11, 30)


def plain_rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_churn_modelling_through_an_explicit_mapping(external_dir):
    path = external_dir / "Churn_Modelling.csv"
    result = read_customers(
        path, as_of=AS_OF, columns={"customer_id": "CustomerId", "assets": "Balance", "name": "Surname"}
    )
    rows = plain_rows(path)
    assert len(result.customers) == 10000 == len({r["CustomerId"] for r in rows})
    assert result.rows_read == 10000 and result.rejections == []
    assert result.customers["assets"].sum() == pytest.approx(764_858_892.88, abs=0.005)
    assert result.customers["assets"].sum() == pytest.approx(
        sum(float(r["Balance"]) for r in rows), abs=0.005
    )
    first = result.customers.iloc[0]
    assert (first["customer_id"], first["name"], first["assets"], first["source_row"]) == (
        "15634602",
        "Hargrave",
        0.0,
        2,
    )
    assert (result.customers["assets"] == 0).sum() == 3617
    assert result.mapping == {"customer_id": "CustomerId", "assets": "Balance", "name": "Surname"}


def test_uci_bank_marketing_is_refused_for_lack_of_a_customer_id(external_dir):
    with pytest.raises(IngestError) as err:
        read_customers(external_dir / "uci_bank-full.csv", as_of=AS_OF)
    message = str(err.value)
    assert "uci_bank-full.csv" in message and "客户号（customer_id）" in message
    first_line = (external_dir / "uci_bank-full.csv").read_text(encoding="ascii").splitlines()[0]
    header = next(csv.reader([first_line], delimiter=";"))
    assert "、".join(f"“{h}”" for h in header) in message


def test_bankchurners_workbook_first_sheet_by_default(external_dir):
    table = read_table(external_dir / "BankChurners_analyst.xlsx")
    assert table.sheet == "BankChurners"
    assert table.sheets == ["BankChurners", "Avg Utilization Ratio"]
    assert table.frame.shape == (10127, 22)
    assert table.header_row == 1 and table.row_numbers[0] == 2 and table.row_numbers[-1] == 10128
    assert table.headers[0] == "CLIENTNUM" and table.headers[-1] == "Attrition_Flag (0 or 1)"
    assert table.frame.iloc[0, :3].tolist() == ["768805383", "Existing Customer", "45"]


def test_bankchurners_formula_sheet_by_name_gives_cached_values(external_dir):
    table = read_table(external_dir / "BankChurners_analyst.xlsx", sheet="Avg Utilization Ratio")
    assert table.frame.shape == (964, 6)
    assert table.frame.iloc[0, 3].startswith("0.5488")  # D2 holds =B2/1627
    assert table.excel_cells.iloc[0, 3] == pytest.approx(893 / 1627)


def test_bankchurners_workbook_as_customers_matches_the_csv(external_dir):
    result = read_customers(
        external_dir / "BankChurners_analyst.xlsx", as_of=AS_OF, columns={"assets": "Total_Revolving_Bal"}
    )
    rows = plain_rows(external_dir / "BankChurners.csv")
    assert result.mapping["customer_id"] == "CLIENTNUM"
    assert len(result.customers) == len(rows) == 10127
    assert result.customers["customer_id"].tolist() == [r["CLIENTNUM"] for r in rows]
    assert result.customers["assets"].sum() == sum(float(r["Total_Revolving_Bal"]) for r in rows)


def test_bank_transactions_reject_exactly_the_empty_balances(external_dir):
    path = external_dir / "bank_transactions_first20k.csv"
    result = read_customers(
        path, as_of=AS_OF, columns={"customer_id": "CustomerID", "assets": "CustAccountBalance"}
    )
    rows = plain_rows(path)
    empty_lines = [i + 2 for i, r in enumerate(rows) if r["CustAccountBalance"].strip() == ""]
    kept = [r for r in rows if r["CustAccountBalance"].strip() != ""]
    assert len(rows) == 20000 and len(empty_lines) == 27
    assert result.rows_read == 20000
    assert [r.row for r in result.rejections] == empty_lines
    assert {r.reason for r in result.rejections} == {"CustAccountBalance为空"}
    assert len(result.customers) == len({r["CustomerID"] for r in kept})
    assert result.customers["assets"].sum() == pytest.approx(
        sum(float(r["CustAccountBalance"]) for r in kept), abs=0.01
    )
    assert result.customers["accounts"].sum() == len(kept)


def test_chinese_synthetic_base_maps_outlet_and_name_automatically(external_dir):
    path = external_dir / "cn_bank_customer_base_synthetic.csv"
    result = read_customers(path, as_of=AS_OF, columns={"assets": "monthly_income"})
    rows = plain_rows(path)
    assert result.encoding == "utf-8"
    assert result.mapping == {
        "assets": "monthly_income",
        "customer_id": "customer_id",
        "name": "name",
        "outlet": "branch_name",
    }
    assert len(result.customers) == 10000
    assert result.customers["customer_id"].tolist() == [r["customer_id"] for r in rows]
    assert result.customers["outlet"].iloc[0] == "招商银行上海分行外滩支行"
    assert result.customers["name"].nunique() == len({r["name"] for r in rows}) == 5828
    assert result.customers["assets"].sum() == pytest.approx(
        sum(float(r["monthly_income"]) for r in rows), abs=0.01
    )
