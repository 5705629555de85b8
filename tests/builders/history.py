"""A seeded pair of months of one outlet's assets: every movement the history comparison names."""

from __future__ import annotations

BEFORE = {
    "A01": 5_000.0,  # -> 12,000: potential->basic, reaches 10,000 from outside its band
    "A02": 8_000.0,  # -> 10,000: reaches exactly 10,000 from its 临界 band
    "A03": 45_000.0,  # -> 120,000: basic->mid, crosses 50,000 and 100,000
    "A04": 100_000.0,  # -> 70,000: falls exactly 30 %, no alert
    "A05": 100_000.0,  # -> 69,999: falls 30.001 %, alert
    "A06": 250_000.0,  # -> 150,000: high->mid, falls 40 %
    "A07": 60_000.0,  # -> 9,000: mid->potential, falls 85 %
    "A08": 20_000.0,  # unchanged
    "A09": 9_000.0,  # -> 9,500
    "A10": 300_000.0,  # gone
    "A11": 199_999.99,  # -> 200,000: mid->high by one cent
    "A12": 40_000.0,  # -> 4,000: basic->potential; basic is not watched for outflow
}
AFTER = {
    "A01": 12_000.0,
    "A02": 10_000.0,
    "A03": 120_000.0,
    "A04": 70_000.0,
    "A05": 69_999.0,
    "A06": 150_000.0,
    "A07": 9_000.0,
    "A08": 20_000.0,
    "A09": 9_500.0,
    "A11": 200_000.0,
    "A12": 4_000.0,
    "B01": 55_000.0,  # new
    "B02": 1_000.0,  # new
}
