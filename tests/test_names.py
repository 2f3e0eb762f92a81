"""Name and phone helpers used by visit registration, the log search and the watch list."""

from kiosk.names import mask_id_number, mask_phone, normalise_name, pinyin_of


def test_pinyin_full_and_initials():
    assert pinyin_of("张三") == ("zhang san", "zs")
    assert pinyin_of(" 王小明 ") == ("wang xiao ming", "wxm")


def test_pinyin_keeps_other_scripts_and_rare_characters():
    full, initials = pinyin_of("𠮷田 Tom")
    assert full.startswith("𠮷 tian") and full.endswith("tom")
    assert initials == "𠮷tt"


def test_normalise_name_folds_width_case_and_spaces():
    assert normalise_name("张 三") == normalise_name("张三")
    assert normalise_name("ＺＨＡＮＧ san") == normalise_name("zhangSAN")
    assert normalise_name(None) == ""


def test_mask_phone_keeps_prefix_and_last_four():
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_mask_id_number():
    assert mask_id_number("11010519491231002X") == "110105********002X"
