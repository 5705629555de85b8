"""What the command line says when it refuses its arguments."""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.bad_date": {"zh": "日期“{text}”格式应为 YYYY-MM-DD", "en": "Date “{text}” should be YYYY-MM-DD"},
    "cli.bad_column": {
        "zh": "--column 应写作 字段=表头，例如 assets=Balance，收到“{pair}”",
        "en": "--column should read FIELD=HEADER, e.g. assets=Balance; got “{pair}”",
    },
    "cli.no_staff_file": {"zh": "找不到员工名单文件：{file}", "en": "Staff roster file not found: {file}"},
    "cli.no_maturity_file": {
        "zh": "找不到到期提醒文件：{file}",
        "en": "Maturity notice file not found: {file}",
    },
}
