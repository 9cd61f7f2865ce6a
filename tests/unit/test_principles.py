from contracts import principles


def test_the_current_principles_are_five_with_both_languages_in_full():
    current = principles.current()

    assert len(current.principles) == 5
    for principle in current.principles:
        assert set(principle.title) == set(principle.text) == {"cy", "en"}
        assert all(len(principle.text[lang]) > 40 for lang in ("cy", "en"))


def test_each_principle_has_its_own_id():
    ids = principles.current().ids

    assert len(set(ids)) == len(ids)
