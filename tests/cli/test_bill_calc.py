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
                      "Energy, next 200 kWh: 200 kWh x 0.11 = 22.00",
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
    record = URDB / "xcel_psco_re_tou_61894054.json"
    code, out, _ = run("tariff", "import-urdb", str(record),
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
    record = URDB / "fpl_rs1_residential_5550d6fd.json"
    assert run("tariff", "import-urdb", str(record),
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


def test_tou_demand_from_the_command_line(tmp_path: Path) -> None:
    """Issue 17, point 15: the PySAM record's January, 70.83 as SAM's rules give it."""
    toml_file = tmp_path / "mincharges.toml"
    code, _out, err = run("tariff", "import-urdb",
                          str(URDB / "pysam_test_urdbv7_mincharges.json"),
                          "--code", "SAM-MIN", "--out", str(toml_file))
    assert code == 0 and "annual minimum" in err
    code, out, _ = run("bill-calc", "--tariff", str(toml_file), "--from", "2024-01-01",
                       "--to", "2024-01-31", "--kwh", "320", "--demand-kw", "0.43",
                       "--demand-register", "d0=0.43", "--demand-register", "d1=0.43", "--json")
    assert code == 0, out
    assert json.loads(out)["total"] == "70.83"


def test_tariff_import_refuses_nonsense_in_one_line(tmp_path: Path, db_url: str) -> None:
    """Issue 17, point 4: every problem named, nothing stored, no traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text('code = "BAD"\ncurrency = "USD"\n[[versions]]\nversion = 1\n'
                   'effective_from = 2024-01-01\nenergy = { type = "flat", rate = "-0.08" }\n'
                   'taxes = [{ code = "VAT", percent = "-500" }]\n'
                   '[[versions]]\nversion = 1\neffective_from = 2024-02-01\n', encoding="utf-8")
    code, _, err = run("--db", db_url, "tariff", "import", str(bad))
    assert code == 1 and err.count("\n") == 1 and err.startswith("error: bad.toml: ")
    assert "versions[1].version" in err and "BAD has version 1 twice" in err
    bad.write_text(bad.read_text(encoding="utf-8").replace("version = 1\neffective_from = "
                                                          "2024-02-01", "version = 2\n"
                                                          "effective_from = 2024-02-01"),
                   encoding="utf-8")
    code, _, err = run("--db", db_url, "tariff", "import", str(bad))
    assert code == 1 and err.count("\n") == 1 and "2 problems" in err
    assert "energy.slabs[0].rate: tariff BAD v1, energy: rate -0.08 is negative" in err
    assert "taxes[0].percent: tariff BAD v1, tax VAT: -500% is outside 0-100%" in err
    code, out, _ = run("--db", db_url, "tariff", "list", "--json")
    assert code == 0 and "BAD" not in out
