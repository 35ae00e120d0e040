"""Sample reports written by this project, in every input format, with their ground truth.

``sample_reports()`` gives three invented reports (with deliberate arithmetic errors unless
``correct=True``), ``random_report(seed)`` any number of valid ones; ``write_all`` prints one
in every format and ``expected_report`` / ``expected_for`` give the interchange JSON a
perfect extractor should produce from it.
"""

from jixiao.synth.content import PlantedError, SampleReport, random_report, sample_reports
from jixiao.synth.truth import expected_for, expected_report
from jixiao.synth.writers import ALL_FORMATS, write_all

__all__ = [
    "ALL_FORMATS",
    "PlantedError",
    "SampleReport",
    "expected_for",
    "expected_report",
    "random_report",
    "sample_reports",
    "write_all",
]
