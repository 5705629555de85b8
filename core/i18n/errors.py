"""How messages of an exception are put together: lists inside a message, a policy's problems."""

MESSAGES: dict[str, dict[str, str]] = {
    "errors.sep.names": {"zh": "、", "en": ", "},
    "errors.sep.sentences": {"zh": "；", "en": "; "},
    "errors.problems": {"zh": "{problems}", "en": "{problems}"},
}
