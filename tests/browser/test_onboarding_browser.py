"""The approval path in a browser (issue 11: "The admin can give itself business data"):
the administrator sets up a supervisor, the manager approves it and hands over the
one-time link, the new colleague sets the password on a tablet and signs in."""

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.parametrize("lang,locale", [("zh", "zh-CN"), ("en", "en-US")])
def test_admin_request_manager_approval_owner_sets_password(new_page, world, lang, locale):
    """Finding "The admin can give itself business data": the whole path, both languages."""
    admin = new_page("desktop", locale=locale)
    sign_in(admin, "admin")
    admin.goto("/accounts/")
    admin.fill("input[name=username]", f"zhao.{lang}")
    admin.fill("input[name=display_name]", "赵磊")
    admin.select_option("select[name=role]", "supervisor")
    admin.click("form.grid-form button[type=submit]")
    admin.wait_for_load_state()
    assert "/auth/set-password/" not in admin.content()
    screenshot(admin, f"console-accounts-awaiting-{lang}")

    manager = new_page("desktop", locale=locale)
    sign_in(manager, "manager")
    manager.goto("/console/")
    screenshot(manager, f"console-home-approvals-{lang}")
    manager.goto("/accounts/approvals")
    screenshot(manager, f"console-approvals-{lang}")
    manager.locator("tr", has_text=f"zhao.{lang}").locator("button.primary").click()
    manager.wait_for_load_state()
    url = manager.locator("input.link-once").input_value()
    assert "/auth/set-password/" in url
    screenshot(manager, f"console-set-password-link-{lang}")

    owner = new_page("tablet", locale=locale)
    owner.goto(url)
    screenshot(owner, f"set-password-tablet-{lang}")
    owner.fill("input[name=new]", "a-long-password")
    owner.fill("input[name=confirm]", "a-long-password")
    owner.click("button[type=submit]")
    owner.wait_for_load_state()
    sign_in(owner, f"zhao.{lang}", "a-long-password")
    owner.wait_for_load_state()
    assert "/auth/login" not in owner.url
    owner.goto(url)
    screenshot(owner, f"set-password-used-{lang}")
