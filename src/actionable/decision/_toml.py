"""TOML text for the decision card: quoting and values (the layout is the card's own)."""

import json
import math
import numbers
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from actionable.decision._costs import COST_FIELDS

__all__ = ["card_to_toml", "flatten_tables", "loads", "toml_string", "toml_value"]


def loads(text):
    """Parse TOML text; a syntax error becomes a ``ValueError`` in one line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"invalid TOML: {exc}") from None


def toml_string(text):
    """Quote ``text`` as a TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return toml_string(value)


def card_to_toml(card):
    """A decision card as TOML text, grouped into the tables :func:`flatten_tables` reads."""
    lines = [
        "# Decision card (actionable). Times are relative to the decision time, "
        f"in {card.time_unit}.",
    ]
    for name in (
        "decision",
        "decision_time",
        "owner",
        "retraining",
        "rollback",
        "notes",
        "time_unit",
    ):
        lines.append(f"{name} = {toml_string(getattr(card, name))}")
    lines += ["", "[actions]"]
    lines.append(f"treated = {toml_string(card.treated_action)}")
    lines.append(f"control = {toml_string(card.control_action)}")
    lines += ["", "[outcome]", f"name = {toml_string(card.outcome)}"]
    lines.append(f"window_start = {toml_value(card.outcome_window_start)}")
    if card.outcome_window_end is not None:
        lines.append(f"window_end = {toml_value(card.outcome_window_end)}")
    lines += ["", "[costs]"]
    for name in (*COST_FIELDS, "capacity"):
        value = getattr(card, name)
        if value is not None:
            lines.append(f"{name} = {toml_value(value)}")
    lines += ["", "# column = time its value is known, relative to the decision", "[features]"]
    for name, time in card.feature_availability.items():
        lines.append(f"{toml_string(name)} = {toml_value(time)}")
    return "\n".join(lines) + "\n"


def flatten_tables(data):
    """Card fields from TOML's tables: ``[actions]``, ``[outcome]``, ``[costs]``, ``[features]``."""
    flat = {}
    for key, value in data.items():
        if key == "actions" and isinstance(value, dict):
            for name, text in value.items():
                flat[f"{name}_action" if name in ("treated", "control") else name] = text
        elif key == "outcome" and isinstance(value, dict):
            for name, item in value.items():
                flat["outcome" if name == "name" else f"outcome_{name}"] = item
        elif key == "costs" and isinstance(value, dict):
            flat.update(value)
        elif key == "features" and isinstance(value, dict):
            flat["feature_availability"] = dict(value)
        else:
            flat[key] = value
    return flat
