"""Left only for two lazy imports outside the claims change (`cli_support.py`: LANGUAGES,
`formatters.py`: substitute_phrase). Delete it once they import from pointwatch.domain.phrases."""

from pointwatch.domain.phrases import LANGUAGES, substitute_phrase

__all__ = ["LANGUAGES", "substitute_phrase"]
