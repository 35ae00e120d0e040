"""jixiao (绩效): read, re-score and audit Chinese budget performance evaluation reports.

>>> from jixiao import read, extract
>>> report = extract(read("report.docx"))
"""

from jixiao.extract import extract
from jixiao.readers import read

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "read"]
