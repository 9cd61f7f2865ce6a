import pytest

from gateway.routes.system import local_path


@pytest.mark.parametrize("target", ["/", "/directory?q=t%C5%B7", "/members/me"])
def test_a_path_on_this_site_is_kept(target):
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    ["https://drwg.example/", "//drwg.example", "/\\drwg.example", "javascript:x", ""],
)
def test_anywhere_else_goes_home(target):
    assert local_path(target) == "/"
