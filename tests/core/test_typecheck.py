from dataclasses import dataclass
from typing import Any, Literal, Optional

from wfkit.core.typecheck import is_compatible, is_instance, match_score, type_name


class Animal: ...
class Dog(Animal): ...


def test_exact_class_scores_better_than_base_class_and_any():
    dog = Dog()
    assert match_score(dog, Dog) < match_score(dog, Animal) < match_score(dog, Any)


def test_union_matches_any_member_and_scores_its_best():
    assert match_score(Dog(), int | Dog) == match_score(Dog(), Dog)
    assert match_score("x", int | Dog) is None


def test_generic_list_checks_every_item():
    assert is_instance(["a", "b"], list[str])
    assert not is_instance(["a", 1], list[str])
    assert is_instance([], list[str])


def test_items_of_several_types_are_each_checked_and_the_worst_counts():
    assert not is_instance(["a", "b", "c", 1], list[str])
    assert match_score([Animal(), Dog(), Dog()], list[Animal]) == match_score([Dog()], list[Animal])
    assert match_score([Animal(), Dog(), Dog()], list[Animal]) > match_score([Animal()], list[Animal])


def test_items_described_by_value_are_checked_one_by_one():
    assert not is_instance(["maybe", "approve"], list[Literal["approve", "revise"]])
    assert is_instance(["approve", "revise"], list[Literal["approve", "revise"]])


def test_described_items_rank_before_undescribed_ones():
    assert match_score(["a"], list[str]) < match_score(["a"], list)


def test_dict_and_tuple_annotations():
    assert is_instance({"a": 1}, dict[str, int])
    assert not is_instance({"a": "1"}, dict[str, int])
    assert is_instance((1, "a"), tuple[int, str])
    assert not is_instance((1, 2, 3), tuple[int, str])
    assert is_instance((1, 2, 3), tuple[int, ...])


def test_literal_and_optional():
    assert is_instance("approve", Literal["approve", "revise"])
    assert not is_instance("maybe", Literal["approve", "revise"])
    assert is_instance(None, Optional[int])


def test_bool_is_not_a_literal_one():
    assert not is_instance(True, Literal[1])


def test_compatibility_follows_subclassing():
    assert is_compatible(Dog, Animal)
    assert not is_compatible(Animal, Dog)
    assert not is_compatible(str, int)
    assert is_compatible(str | int, int)
    assert is_compatible(Any, int)


def test_compatibility_of_generics():
    assert is_compatible(list[Dog], list[Animal])
    assert not is_compatible(list[str], list[int])
    assert is_compatible(list, list[int])


def test_type_names_read_like_annotations():
    @dataclass
    class Draft:
        text: str

    assert type_name(list[Draft]) == "list[test_type_names_read_like_annotations.<locals>.Draft]"
    assert type_name(str | None) == "str | None"
    assert type_name(Any) == "Any"
