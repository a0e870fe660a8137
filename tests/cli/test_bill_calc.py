"""``ebs bill-calc`` and ``ebs tariff import-urdb`` through the real command line group."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ebs_desktop.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
TARIFFS = REPO / "resources" / "tariffs"
URDB = REPO / "tests" / "data" / "reference" / "tariffs-urdb"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_shape_and_amounts() -> None:
    code, out, _ = run("bill-calc", "--tariff", str(TARIFFS / "res-1.toml"), "--from",
                       "2024-03-01", "--to", "2024-03-31", "--kwh", "350", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"lines", "total", "currency"}
    assert data["currency"] == "USD"
    # 4.50 + 8.00 + 22.00 + 7.00 + duty 1.75 + VAT 2.08 = 45.33 -> cash step 0.05: 45.35
    assert data["total"] == "45.35"
    assert [set(line) for line in data["lines"]] == [
        {"code", "description", "quantity", "rate", "amount"}] * len(data["lines"])
    energy = data["lines"][2]
    assert energy == {"code": "ENERGY-2", "description":
                      "Energy 100-300 kWh: 200 kWh x 0.11 = 22.00",
                      "quantity": "200", "rate": "0.11", "amount": "22.00"}
    assert sum(int(line["amount"].replace(".", "")) for line in data["lines"]) == 4535


def test_text_output_lists_lines_and_total() -> None:
    code, out, _ = run("bill-calc", "--tariff", str(TARIFFS / "ind-md.toml"), "--from",
                       "2024-03-01", "--to", "2024-03-31", "--kwh", "20000",
                       "--demand-kw", "150")
    assert code == 0
    # 150 + 950 + 850 (energy) + 950 + 437.50 (demand) + duty 80 + VAT 5% of 3337.50 = 166.88
    assert "TOTAL" in out and "3584.38" in out
    assert "50 kW x 8.75 = 437.50" in out


def test_urdb_import_then_tou_registers(tmp_path: Path) -> None:
    toml_file = tmp_path / "re-tou.toml"
    code, out, _ = run("tariff", "import-urdb", str(URDB / "xcel_psco_re_tou_61894054.json"),
                       "--code", "RE-TOU", "--out", str(toml_file))
    assert code == 0 and "imported RE-TOU" in out
    code, out, _ = run("bill-calc", "--tariff", str(toml_file), "--from", "2024-01-01",
                       "--to", "2024-01-31", "--kwh", "600", "--register", "p0=300",
                       "--register", "p1=200", "--register", "p2=100", "--register", "p3=0",
                       "--register", "p4=0", "--json")
    assert code == 0
    assert json.loads(out)["total"] == "70.19"  # worked in tests/domain/test_urdb_import.py


def test_fpl_fact_from_the_command_line(tmp_path: Path) -> None:
    toml_file = tmp_path / "fpl.toml"
    assert run("tariff", "import-urdb", str(URDB / "fpl_rs1_residential_5550d6fd.json"),
               "--out", str(toml_file))[0] == 0
    code, out, _ = run("bill-calc", "--tariff", str(toml_file), "--from", "2024-01-01",
                       "--to", "2024-01-31", "--kwh", "2000", "--json")
    assert code == 0
    assert json.loads(out)["total"] == "202.81"  # 195.24 energy + 7.57 fixed


def test_errors_are_one_clear_line(db_url: str) -> None:
    code, _, err = run("--db", db_url, "bill-calc", "--tariff", "NO-SUCH", "--from",
                       "2024-01-01", "--to", "2024-01-31", "--kwh", "1")
    assert code == 1 and err == "error: no tariff 'NO-SUCH'\n"
    code, _, err = run("bill-calc", "--tariff", str(TARIFFS / "res-1.toml"), "--from",
                       "2024-01-01", "--to", "2024-01-31", "--kwh", "1", "--register", "peak")
    assert code == 2 and "NAME=KWH" in err
    code, _, err = run("bill-calc", "--tariff", str(TARIFFS / "com-tou.toml"), "--from",
                       "2024-01-01", "--to", "2024-01-31", "--kwh", "10", "--register",
                       "peak=10")
    assert code == 1 and "offpeak" in err
    code, _, err = run("bill-calc", "--tariff", str(TARIFFS / "res-1.toml"), "--from",
                       "2024-01-01", "--to", "2024-01-31", "--kwh", "1.5e", "--json")
    assert code == 2 and "not a number" in err
