"""Result types: frozen dataclasses rebuilt from the plain values the components store on the Doc."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: "1.1" added ``safety.caution``; a reader of "1.0" rows treats it as False (``Analysis.from_dict`` does)
SCHEMA_VERSION = "1.1"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A stretch of the text (character offsets) or a situational cue that supports a result."""

    text: str
    start: int
    end: int
    cue: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Judgement:
    """A harsh global judgement about a person. ``text == analysis.text[start:end]``."""

    text: str
    start: int
    end: int
    kind: str  # label | trait | overgeneralization | mind_reading
    target: str  # other | self
    who: str  # surface mention of the judged person ("she", "my boss", "I"); "" when unknown
    severity: float  # 0..1
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Feeling:
    """A feeling the writer expressed, or one the situation suggests (tentatively)."""

    name: str
    status: str  # expressed | suggested
    score: float  # 0..1, calibrated on held-out team data for suggestions
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "score": self.score,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Prompt:
    """One short, tentative question (or a validating statement) addressed to the writer."""

    kind: str
    text: str
    about: str | None = None
    feeling: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Safety:
    """Routing flags, never a risk probability: ``risk`` (suicide/self-harm), ``abuse`` (against the writer)."""

    risk: bool = False
    abuse: bool = False
    third_party: bool = False
    evidence: tuple[Evidence, ...] = ()
    caution: bool = False  # not flagged, but close: prompts stay with the writer (no other explanations of others)

    @property
    def flagged(self) -> bool:
        return self.risk or self.abuse

    def to_dict(self) -> dict[str, Any]:
        return {"risk": self.risk, "abuse": self.abuse, "third_party": self.third_party,
                "evidence": [e.to_dict() for e in self.evidence], "caution": self.caution}


@dataclass(frozen=True, slots=True)
class Mentalizing:
    """A descriptive text measure (0-3 scale), not a clinical reflective-functioning score."""

    score: float | None  # None when not scored (too short, or a safety flag)
    markers: dict[str, int] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    scored: bool = True
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "scored": self.scored, "reason": self.reason, "markers": dict(self.markers),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything mbtnlp found in one text."""

    text: str
    judgements: tuple[Judgement, ...] = ()
    feelings: tuple[Feeling, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    safety: Safety = field(default_factory=Safety)
    mentalizing: Mentalizing = field(default_factory=lambda: Mentalizing(None, scored=False, reason="empty"))

    @property
    def expressed(self) -> tuple[Feeling, ...]:
        return tuple(f for f in self.feelings if f.status == "expressed")

    @property
    def suggested(self) -> tuple[Feeling, ...]:
        return tuple(f for f in self.feelings if f.status == "suggested")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (the batch/CLI row schema, see ``schema_version``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "text": self.text,
            "judgements": [j.to_dict() for j in self.judgements],
            "feelings": [f.to_dict() for f in self.feelings],
            "prompts": [p.to_dict() for p in self.prompts],
            "safety": self.safety.to_dict(),
            "mentalizing": self.mentalizing.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Analysis":
        ev = lambda items: tuple(Evidence(**e) for e in items)  # noqa: E731
        s, m = d.get("safety", {}), d.get("mentalizing", {})
        return cls(
            text=d["text"],
            judgements=tuple(Judgement(**j) for j in d.get("judgements", [])),
            feelings=tuple(Feeling(f["name"], f["status"], f["score"], ev(f.get("evidence", [])))
                           for f in d.get("feelings", [])),
            prompts=tuple(Prompt(**p) for p in d.get("prompts", [])),
            safety=Safety(s.get("risk", False), s.get("abuse", False), s.get("third_party", False),
                          ev(s.get("evidence", [])), s.get("caution", False)),
            mentalizing=Mentalizing(m.get("score"), dict(m.get("markers", {})), ev(m.get("evidence", [])),
                                    m.get("scored", False), m.get("reason", "")),
        )
