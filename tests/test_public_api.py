import importlib

import pytest


@pytest.mark.parametrize(
    "package", ["xpander_pure", "xpander_io", "xpander_pure.frameworks", "xpander_io.frameworks"]
)
def test_all_is_sorted_and_resolvable(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name
