"""Quantitative targets of the notices: rule-based extraction, a reviewed table, comparisons.

    python -m retrieval.targets check           # verify every row, report new/lost rows
    python -m retrieval.targets extract --write # add newly extracted rows as pending
"""

from retrieval.targets.extract import theme_names
from retrieval.targets.table import SHOWN, Target, load_targets, set_targets_provider, targets_version, to_csv

__all__ = ["SHOWN", "Target", "load_targets", "set_targets_provider", "targets_version", "theme_names", "to_csv"]
