"""How the offline model answers in JSON that fits a `response_format` (a pydantic model).

It fills in the model's JSON schema field by field, choosing values a reader finds plausible:
a ``reason`` or ``explanation`` gets a sentence about the prompt, ``email_content`` or ``text``
the prompt itself, an ``is_spam`` flag is decided from tell-tale words, an enum its value named
in the prompt (else the first), a number the first number in the prompt that fits. The same
prompt always gets the same JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .reading import content_words, split_sentences
from .writing import subject_of

SPAM_SIGNS = (
    "free", "winner", "won", "prize", "lottery", "click here", "act now", "urgent", "claim", "guarantee",
    "$$$", "100%", "limited time", "bitcoin", "wire transfer", "congratulations", "viagra", "risk-free",
)  # fmt: skip
EXPLAINING = ("reason", "reasoning", "explanation", "rationale", "justification", "analysis")
REVIEWING = ("feedback", "comment", "comments", "critique", "review")
QUOTING = ("content", "text", "email", "input", "original", "message", "body", "source")
ANSWERING = ("response", "reply", "answer", "output", "result", "draft")
APPROVING = {"approved", "approve", "accepted", "accept", "passed", "pass", "valid", "ok", "complete", "done"}
NAMING = ("title", "name", "subject", "topic", "headline", "label", "category")


def structured_reply(response_format: Any, prompt: str, context: str = "", reviewed: str = "") -> str:
    """JSON text for `response_format` (a pydantic model class) in answer to `prompt`;
    `context` (tool results, say) may supply the wording of free-text fields, and `reviewed` names
    the request whose answer a ``feedback`` field comments on (the conversation's first question)."""
    schema = response_format.model_json_schema()
    value = _Filler(schema, prompt, context, reviewed).value(schema, "")
    # Checked against the model itself, so a field this filler misjudged fails here, not later.
    return response_format.model_validate(value).model_dump_json()


class _Filler:
    """Walks one JSON schema and makes a value for it."""

    def __init__(self, root: dict[str, Any], prompt: str, context: str, reviewed: str = "") -> None:
        self.definitions = root.get("$defs", {})
        self.reviewed = " ".join(reviewed.split())
        self.prompt = " ".join(prompt.split())
        self.context = " ".join(context.split())
        self.numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", self.prompt)]
        self.about_spam = "spam" in json.dumps(root).lower()  # a spam verdict explains itself in spam terms

    def value(self, schema: dict[str, Any], name: str) -> Any:
        if "$ref" in schema:
            return self.value(self.definitions[schema["$ref"].rsplit("/", 1)[-1]], name)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self.choice(schema["enum"], name)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:  # Optional[X] is anyOf [X, null]: answer with the X
                options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
                return self.value(options[0], name)
        kind = schema.get("type", "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        if kind == "object":
            properties = schema.get("properties", {})
            return {field: self.value(sub, field) for field, sub in properties.items()}
        if kind == "array":
            count = max(schema.get("minItems", 2), min(2, schema.get("maxItems", 2)))
            items = schema.get("items", {"type": "string"})
            return [self.item(items, name, i) for i in range(count)]
        if kind == "boolean":
            return self.flag(name)
        if kind in ("integer", "number"):
            return self.number(schema, name, integer=kind == "integer")
        if kind == "null":
            return None
        return self.text(schema, name)

    def item(self, schema: dict[str, Any], name: str, index: int) -> Any:
        value = self.value(schema, name)
        if isinstance(value, str) and schema.get("type", "string") == "string" and "enum" not in schema:
            sentences = split_sentences(self.context or self.prompt) or [value]
            return sentences[index % len(sentences)]
        return value

    def choice(self, options: list[Any], name: str) -> Any:
        """The first option the prompt names, else (for a spam-like choice) the spam verdict, else the first."""
        lowered = self.prompt.lower()
        named = [o for o in options if isinstance(o, str) and re.search(rf"\b{re.escape(o.lower())}\b", lowered)]
        if named:
            return named[0]
        spam_words = [o for o in options if isinstance(o, str) and "spam" in o.lower()]
        if spam_words and self.looks_like_spam():
            return spam_words[0]
        return options[0]

    def looks_like_spam(self) -> bool:
        lowered = self.prompt.lower()
        return sum(sign in lowered for sign in SPAM_SIGNS) >= 2 or lowered.count("!") >= 3

    def flag(self, name: str) -> bool:
        """A yes/no field: spam from tell-tale words; otherwise yes when the prompt mentions what it names."""
        words = [w for w in name.lower().split("_") if w not in ("is", "has", "should", "needs", "can", "was")]
        if "spam" in words:
            return self.looks_like_spam()
        if set(words) & APPROVING:  # the offline reviewer approves (as its prose reviews do), so review loops end
            return True
        return bool(content_words(" ".join(words)) & content_words(self.prompt))

    def number(self, schema: dict[str, Any], name: str, *, integer: bool) -> float | int:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        fitting = [n for n in self.numbers if (low is None or n >= low) and (high is None or n <= high)]
        if fitting:
            value = fitting[0]
        elif "confidence" in name.lower() or "probability" in name.lower():
            value = 0.9 if (high is None or high <= 1) else high * 0.9
        elif low is not None and high is not None:
            value = (low + high) / 2
        else:
            value = low if low is not None else (high if high is not None and high < 1 else 1)
        return int(round(value)) if integer else float(value)

    def text(self, schema: dict[str, Any], name: str) -> str:
        words = set(name.lower().split("_"))
        source = self.context or self.prompt
        first = (split_sentences(source) or [source or "No details were given."])[0]
        if words & set(EXPLAINING) or (words & set(REVIEWING) and (self.about_spam or not self.reviewed)):
            return self.explanation()
        if words & set(REVIEWING):
            # Feedback on an answer speaks about what was asked, in line with the approving flag beside it.
            return f"The response answers what was asked ({subject_of(self.reviewed)}) clearly and stays on topic."
        if words & set(QUOTING):
            return self.prompt
        if words & set(ANSWERING):
            return f"Thank you for your message. {first}" if not self.context else self.context
        if words & set(NAMING):
            return " ".join(first.rstrip(".!?").split()[:6])
        text = first
        limit = schema.get("maxLength")
        return text[:limit] if limit else text

    def explanation(self) -> str:
        if not self.about_spam:
            topic = sorted(content_words(self.prompt), key=lambda w: (-len(w), w))[:3]
            first = (split_sentences(self.context or self.prompt) or ["nothing was given"])[0]
            return f"Based on the request{' about ' + ', '.join(topic) if topic else ''}: {first}"
        if self.looks_like_spam():
            lowered = self.prompt.lower()
            signs = [sign for sign in SPAM_SIGNS if sign in lowered][:3]
            return f"The message shows typical spam signs ({', '.join(repr(s) for s in signs) or 'many exclamation marks'})."
        topic = sorted(content_words(self.prompt), key=lambda w: (-len(w), w))[:3]
        about = f" about {', '.join(topic)}" if topic else ""
        return f"The message{about} reads as an ordinary, legitimate request with no signs of spam."

