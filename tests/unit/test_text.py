import unicodedata

from contracts.text import fold, nfc


def test_folding_ignores_case_and_accents_in_welsh_letters():
    assert fold("ŴŶÂÊÎÔÛÏ") == "wyaeiouı".replace("ı", "i")


def test_the_same_letter_in_two_unicode_forms_folds_the_same():
    composed, decomposed = "Glyndŵr", unicodedata.normalize("NFD", "Glyndŵr")

    assert composed != decomposed
    assert fold(composed) == fold(decomposed)
    assert nfc(decomposed) == composed
