"""mbtnlp: harsh judgements, feelings and curious prompts for journal text, in the spirit of MBT.

    import mbtnlp
    result = mbtnlp.analyze("She is so self-centered, she's just a bitch!")
    result.judgements, result.feelings, result.prompts, result.safety, result.mentalizing
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Analyzer, analyze, load  # noqa: E402
from .batch import analyze_records, to_dataframe  # noqa: E402
from .feelings import FEELINGS  # noqa: E402
from .results import SCHEMA_VERSION, Analysis, Evidence, Feeling, Judgement, Mentalizing, Prompt, Safety  # noqa: E402

__all__ = ["Analysis", "Analyzer", "Evidence", "FEELINGS", "Feeling", "Judgement", "Mentalizing", "Prompt",
           "SCHEMA_VERSION", "Safety", "__version__", "analyze", "analyze_records", "load", "to_dataframe"]
