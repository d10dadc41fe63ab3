"""`new-lesson` writes a check module the lesson's check cell can import, whatever letters its
name holds, and refuses a hidden name that check-lessons would skip."""

from __future__ import annotations

import pytest

from wfkit.teach.template import module_name_for, new_lesson


@pytest.mark.parametrize("name, module", [
    ("ﬁrst_steps.ipynb", "lesson_first_steps"),      # a ligature
    ("０１_intro.ipynb", "lesson_01_intro"),            # full-width digits
    ("ℌello.ipynb", "lesson_hello"),                  # a letter-like symbol
])
def test_the_module_name_is_the_one_python_imports(tmp_path, name, module):
    assert module_name_for(tmp_path / name) == module
    new_lesson(tmp_path / name)
    assert (tmp_path / "exercises" / f"{module}.py").is_file()


def test_a_hidden_lesson_is_refused(tmp_path):
    with pytest.raises(ValueError, match="hidden"):
        new_lesson(tmp_path / ".secret.ipynb")
    assert not (tmp_path / ".secret.ipynb").exists()
