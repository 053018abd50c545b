"""The public entry points: :func:`load`, :class:`Analyzer`, :func:`analyze`.

The default pipeline is ``spacy.blank("en")`` + sentencizer + mbtnlp's components, all bundled: nothing is
downloaded. A richer pipeline a user already has may be passed in; our components are added to it.
"""

from __future__ import annotations

import multiprocessing as mp
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable, Iterator

import spacy
from spacy.language import Language

from . import factories  # noqa: F401  (registers factories and Doc extensions)
from .analysis import analysis_from_doc
from .results import Analysis

#: Components in pipeline order: safety screens first (design notes SR-1), prompts come last.
COMPONENTS = ("mbtnlp_safety", "mbtnlp_judgements", "mbtnlp_feelings", "mbtnlp_mentalizing", "mbtnlp_prompts")
#: Texts longer than this are refused with a ValueError (the CLI records it per row). About 1 MB of text.
MAX_CHARS = 2_000_000


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"mbtnlp analyses text: expected str, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ValueError(f"text is {len(text):,} characters; the limit is {MAX_CHARS:,} (split it into entries)")
    return text


def build_pipeline(nlp: Language | None = None, *, extra_rules: str | None = None, max_prompts: int = 4,
                   locale: str = "default") -> Language:
    """Add mbtnlp's components to ``nlp`` (default: a blank English pipeline with a sentencizer)."""
    if nlp is None:
        nlp = spacy.blank("en")
    if not any(n in nlp.pipe_names for n in ("sentencizer", "senter", "parser")):
        nlp.add_pipe("sentencizer", first=True)
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    configs = {"mbtnlp_judgements": {"extra_rules": extra_rules},
               "mbtnlp_prompts": {"max_prompts": max_prompts, "locale": locale}}
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, config={k: v for k, v in configs.get(name, {}).items() if v is not None})
    return nlp


def warm_tokenizer(nlp: Language) -> None:
    """Tokenize the bundled common words once, outside any memory zone, so their lexemes and splits stay cached.
    Inside a zone (``Analyzer.pipe``) spaCy keeps neither for words first seen there, and re-splits them in every
    batch; this halves the tokenizer's time there. Tokenization itself is unchanged."""
    from .model_io import load_warm_words

    words = load_warm_words()
    if words:
        for _ in nlp.tokenizer.pipe(words, batch_size=1000):
            pass


class Analyzer:
    """Analyses texts: ``analyzer(text) -> Analysis``, ``analyzer.pipe(texts) -> Iterator[Analysis]``."""

    def __init__(self, nlp: Language | None = None, *, extra_rules: str | None = None, max_prompts: int = 4,
                 locale: str = "default") -> None:
        self._config = {"extra_rules": extra_rules, "max_prompts": max_prompts, "locale": locale}
        self._custom_nlp = nlp is not None
        self.nlp = build_pipeline(nlp, **self._config)
        warm_tokenizer(self.nlp)

    def __call__(self, text: str) -> Analysis:
        text = _check_text(text)
        if not text.strip():
            return Analysis(text)
        with self.nlp.memory_zone():
            return analysis_from_doc(self.nlp(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 256, n_process: int = 1,
             start_method: str | None = None) -> Iterator[Analysis]:
        """Analyse a stream in input order with constant memory (each batch runs in a spaCy memory zone).

        ``n_process > 1`` uses a pool of worker processes, each building its own pipeline once; call it under
        ``if __name__ == "__main__":`` on platforms that spawn.
        """
        if batch_size < 1 or n_process < 1:
            raise ValueError("batch_size and n_process must be >= 1")
        chunks = _chunks(texts, batch_size)
        if n_process == 1:
            for chunk in chunks:
                yield from self._analyse_chunk(chunk)
            return
        global _PARENT
        ctx = mp.get_context(start_method) if start_method else mp.get_context()
        if ctx.get_start_method() == "fork":
            # forked workers inherit this analyzer, rules already compiled and models loaded: no rebuild
            _PARENT = self
            initializer, init_args = _init_forked, ()
        else:
            initializer, init_args = _init_worker, (self.nlp if self._custom_nlp else None, self._config)
        try:
            with ctx.Pool(n_process, initializer=initializer, initargs=init_args) as pool:
                for results in pool.imap(_work, chunks, chunksize=1):
                    yield from results
        finally:
            _PARENT = None

    def _analyse_chunk(self, chunk: list[str]) -> list[Analysis]:
        out: list[Analysis | None] = [None] * len(chunk)
        todo = []
        for i, text in enumerate(chunk):
            _check_text(text)
            if text.strip():
                todo.append(i)
            else:
                out[i] = Analysis(text)
        with self.nlp.memory_zone():
            for i, doc in zip(todo, self.nlp.pipe(chunk[i] for i in todo)):
                out[i] = analysis_from_doc(doc)
        return out  # type: ignore[return-value]


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


_WORKER: Analyzer | None = None
_PARENT: Analyzer | None = None  # the analyzer a forked worker inherits


def _init_forked() -> None:
    global _WORKER
    _WORKER = _PARENT


def _init_worker(nlp: Language | None, config: dict) -> None:
    global _WORKER
    _WORKER = Analyzer(nlp, **config)


def _work(chunk: list[str]) -> list[Analysis]:
    assert _WORKER is not None
    return _WORKER._analyse_chunk(chunk)


def load(nlp: Language | None = None, *, extra_rules: str | None = None, max_prompts: int = 4,
         locale: str = "default") -> Analyzer:
    """An :class:`Analyzer` on the embedded default pipeline, or on ``nlp`` if given.

    ``extra_rules``: a JSONL file of extra judgement rules (same shape as ``resources/judgements/rules.jsonl``).
    ``max_prompts``: cap on questions per entry. ``locale``: support resources for safety prompts.
    """
    return Analyzer(nlp, extra_rules=extra_rules, max_prompts=max_prompts, locale=locale)


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """One cached default analyzer per process (used by :func:`analyze` and the batch adapters)."""
    return load()


def analyze(text: str) -> Analysis:
    """Analyse one text with the cached default analyzer."""
    return default_analyzer()(text)
