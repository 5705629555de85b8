"""Messages of the hardening work: password rule, sessions that end, 修改密码, lockout, cookie key."""

MESSAGES = {
    "accounts.password.spaces": {
        "zh": "密码的开头或结尾不能是空格（登录时无法输入）",
        "en": "A password cannot start or end with a space (it could never be typed at login)",
    },
    "accounts.password.denied": {
        "zh": "这个密码过于常见或过于简单，请换一个",
        "en": "This password is too common or too simple; choose another",
    },
    "accounts.password.kinds": {
        "zh": "密码须包含字母、数字、符号中的至少两类",
        "en": "A password needs at least two of: letters, digits, symbols",
    },
    "accounts.password.username": {
        "zh": "密码不能与用户名相同",
        "en": "A password cannot be the username",
    },
    "accounts.password.current_wrong": {"zh": "当前密码不正确", "en": "The current password is wrong"},
    "accounts.password.same": {
        "zh": "新密码不能与当前密码相同",
        "en": "The new password must differ from the current one",
    },
    "accounts.staff_name.taken": {
        "zh": "本网点的员工“{staff_name}”已对应账户 {username}，一个员工只能对应一个账户",
        "en": "Staff “{staff_name}” of this outlet already has account {username}; one account per staff member",
    },
    "accounts.cookie_key.short": {
        "zh": "登录密钥 {source} 太短（{n} 个字符，至少 32 个），请设置更长的随机密钥后重启",
        "en": "The login cookie key {source} is too short ({n} characters, at least 32); set a longer random key",
    },
    "ui.session.ended": {
        "zh": "登录已失效（已在别处退出、密码已修改或登录已过期），请重新登录。",
        "en": "Your session has ended (logged out elsewhere, password changed or login expired); log in again.",
    },
    "ui.page.password": {"zh": "修改密码", "en": "Change password"},
    "ui.passwd.intro": {
        "zh": "修改后，此账户在其他浏览器或设备上的登录都会失效。",
        "en": "After the change, this account's logins in other browsers and devices end.",
    },
    "ui.passwd.current": {"zh": "当前密码", "en": "Current password"},
    "ui.passwd.new": {"zh": "新密码", "en": "New password"},
    "ui.passwd.rule": {
        "zh": "至少 {min} 位，包含字母、数字、符号中的至少两类，不能与用户名相同，开头结尾不能是空格",
        "en": "At least {min} characters, two of letters/digits/symbols, not the username, no surrounding spaces",
    },
    "ui.passwd.submit": {"zh": "修改密码", "en": "Change password"},
    "ui.passwd.done": {"zh": "密码已修改。", "en": "Password changed."},
    "storage.unavailable": {
        "zh": "数据库暂时无法使用（可能正被其他程序占用或锁定）：{error}。请稍后重试",
        "en": "The database cannot be used right now (held or locked by another program): {error}. Try again later",
    },
}

# Login through the server's own form (ui/login_route.py): delays instead of locks, 修改密码 counted like a login
MESSAGES.update(
    {
        "accounts.login.wait": {
            "zh": "密码错误次数过多，请 {seconds} 秒后再试",
            "en": "Too many wrong passwords; try again in {seconds} s",
        },
        "ui.login.db_busy": {
            "zh": "数据库正忙，暂时无法登录，请稍后再试。",
            "en": "The database is busy; logging in is not possible right now. Try again shortly.",
        },
        "ui.login.bad_request": {
            "zh": "登录请求无效（请从本系统的登录页提交），请重新登录。",
            "en": "Invalid login request (submit it from this console's login page); log in again.",
        },
        "ui.login.needed": {"zh": "请先登录。", "en": "Please log in."},
        "ui.login.again": {"zh": "登录", "en": "Log in"},
        "ui.login.language": {"zh": "English", "en": "中文"},
        "ui.logged_out": {"zh": "您已退出登录。", "en": "You have logged out."},
        "ui.acc.delayed": {
            "zh": "因密码错误需等待后才能再次登录：{names}。等待结束后用正确密码即可登录，也可在此立即解除。",
            "en": "Must wait before the next login after wrong passwords: {names}. The right password works once "
            "the wait is over, or lift it here now.",
        },
        "ui.acc.unlock": {"zh": "解除登录限制", "en": "Lift login delay"},
        "ui.acc.unlock_submit": {"zh": "解除", "en": "Lift"},
        "ui.acc.unlocked": {
            "zh": "已解除 {username} 的登录限制。",
            "en": "Login delay lifted for {username}.",
        },
    }
)
