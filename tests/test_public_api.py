import importlib

import pytest


@pytest.mark.parametrize(
    "package",
    [
        "xpander_pure",
        "xpander_io",
        "xpander_pure.frameworks",
        "xpander_pure.platform",
        "xpander_io.frameworks",
    ],
)
def test_all_is_sorted_and_resolvable(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name


def test_the_platform_rules_are_not_in_the_client_namespace() -> None:
    core = importlib.import_module("xpander_pure")
    platform = importlib.import_module("xpander_pure.platform")
    shared = set(core.__all__) & set(platform.__all__)
    assert shared == {"END_STATES", "InvokeRequest"}
