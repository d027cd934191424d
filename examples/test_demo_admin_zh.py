"""中文后台：登录后查看用户列表，打开「新增用户」对话框。步骤写法与场景文件相同。

Run: pytest examples/test_demo_admin_zh.py
"""

from pathlib import Path

import pytest

from agent import expect
from browser.serve import serve_folder

SITE = Path(__file__).resolve().parent.parent / "scenarios" / "site"


@pytest.fixture(scope="module")
def site():
    with serve_folder(SITE) as url:
        yield url


def test_admin_login_and_user_list(ui, site):
    ui.goto(f"{site}/admin.html")
    ui.step('在 "用户名" 中输入 "admin"')  # a scenario sentence, as written in a YAML file
    ui.fill('"密码" 输入框', "123456")  # the same kind of step through a method
    ui.step('点击 "登录" 按钮')

    expect(ui).to_show('"用户列表"')
    expect(ui).to_show('"张三"')
    expect(ui).to_have('"编辑" 按钮', count=3)  # one per row

    ui.click('"新增用户" 按钮')
    expect(ui).to_show('"取消" 按钮')  # the dialog is open
    ui.type("赵六")  # the dialog puts the cursor in its 用户名 field
    ui.step('点击 "提交" 按钮')
    expect(ui).to_show('"保存成功"')  # the toast
    expect(ui).to_show('"赵六"')
    expect(ui).to_have('"编辑" 按钮', count=4)
