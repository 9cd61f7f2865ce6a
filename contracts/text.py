"""Text rules shared by every service: what people type is kept as typed (in NFC),
and compared or searched in a folded form that ignores case and accents."""

import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Case-fold and drop combining accents, so "Ŵyn", "ŵyn" and "wyn" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


def squash(text: str) -> str:
    """Fold and keep letters and digits only: for matching names typed loosely."""
    return "".join(ch for ch in fold(text) if ch.isalnum())
