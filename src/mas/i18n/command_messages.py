"""Errors of the ``mas`` command's options, of the user's strategy code and click's usage errors: key ->
{language: template} (``str.format`` fields, the same in every language).

Options, values, commands and paths stay as typed; only the sentence around them is translated.
"""

from __future__ import annotations

COMMAND_MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ command-line options
    "cli_error_head": {"en": "error: ", "zh-tw": "錯誤：", "zh-cn": "错误："},
    "cli_command_failed": {"en": "{command}: {reason}", "zh-tw": "{command}：{reason}", "zh-cn": "{command}：{reason}"},
    "option_above": {
        "en": "{option}: must be above {low:g}, got {value:g}",
        "zh-tw": "{option}：必須大於 {low:g}，收到 {value:g}",
        "zh-cn": "{option}：必须大于 {low:g}，收到 {value:g}",
    },
    "option_not_negative": {
        "en": "{option}: must be 0 or more, got {value:g}",
        "zh-tw": "{option}：必須為 0 或以上，收到 {value:g}",
        "zh-cn": "{option}：必须为 0 或以上，收到 {value:g}",
    },
    "param_form": {
        "en": "--param {text!r}: expected name=value, e.g. --param fast=10",
        "zh-tw": "--param {text!r}：格式應為 名稱=值，例如 --param fast=10",
        "zh-cn": "--param {text!r}：格式应为 名称=值，例如 --param fast=10",
    },
    "param_unknown": {
        "en": "--param {name}: {label} has no parameter {name!r}; {hint}",
        "zh-tw": "--param {name}：{label} 沒有參數 {name!r}；{hint}",
        "zh-cn": "--param {name}：{label} 没有参数 {name!r}；{hint}",
    },
    "param_none": {
        "en": "--param {name}: {label} takes no parameters",
        "zh-tw": "--param {name}：{label} 不接受任何參數",
        "zh-cn": "--param {name}：{label} 不接受任何参数",
    },
    "param_not_number": {
        "en": "--param {name}: {value!r} is not a number (the default is {default!r}); e.g. --param {name}={default} "
              "or {name}=START:STOP:STEP",
        "zh-tw": "--param {name}：{value!r} 不是數字（預設值為 {default!r}）；例如 --param {name}={default} "
                 "或 {name}=START:STOP:STEP",
        "zh-cn": "--param {name}：{value!r} 不是数字（默认值为 {default!r}）；例如 --param {name}={default} "
                 "或 {name}=START:STOP:STEP",
    },
    "param_with_spec": {
        "en": "--param: parameters apply to built-ins and .py strategies; edit the spec or the text",
        "zh-tw": "--param：參數只適用於內建策略與 .py 策略；請修改策略規格或文字描述",
        "zh-cn": "--param：参数只适用于内置策略与 .py 策略；请修改策略规格或文字描述",
    },
    "target_unknown": {
        "en": "TARGET: {missing}{target!r} is neither a built-in strategy ({hint}), an existing .py file holding a "
              "MAS subclass, a spec .json file nor a text strategy",
        "zh-tw": "TARGET：{missing}{target!r} 不是內建策略（{hint}），也不是含有 MAS 子類別的現有 .py 檔案、"
                 "策略規格 .json 檔案或文字策略",
        "zh-cn": "TARGET：{missing}{target!r} 不是内置策略（{hint}），也不是包含 MAS 子类的现有 .py 文件、"
                 "策略规格 .json 文件或文字策略",
    },
    "target_no_file": {
        "en": "no such file {target!r}; ",
        "zh-tw": "找不到檔案 {target!r}；",
        "zh-cn": "找不到文件 {target!r}；",
    },
    "target_and_text": {
        "en": "TARGET/--text: give a strategy as TARGET or describe one with --text, not both",
        "zh-tw": "TARGET/--text：請以 TARGET 指定策略，或以 --text 描述策略，擇一即可",
        "zh-cn": "TARGET/--text：请以 TARGET 指定策略，或以 --text 描述策略，二选一",
    },
    "metric_unknown": {
        "en": "--metric: {value!r} is not a metric; {hint}",
        "zh-tw": "--metric：{value!r} 不是績效指標；{hint}",
        "zh-cn": "--metric：{value!r} 不是绩效指标；{hint}",
    },
    "wf_length_invalid": {
        "en": "{option}: walk-forward length {value!r}: expected a positive count and a unit: N H (hours), N D "
              "(days), N W (weeks), N M (months), N Y (years) or N bars, e.g. 180D or 2000bars",
        "zh-tw": "{option}：前進分析長度 {value!r} 無效；應為正整數加單位：N H（小時）、N D（天）、N W（週）、"
                 "N M（月）、N Y（年）或 N bars（K線根數），例如 180D 或 2000bars",
        "zh-cn": "{option}：前进分析长度 {value!r} 无效；应为正整数加单位：N H（小时）、N D（天）、N W（周）、"
                 "N M（月）、N Y（年）或 N bars（K线根数），例如 180D 或 2000bars",
    },
    "wf_options_together": {
        "en": "--wf-in-sample and --wf-out-of-sample go together",
        "zh-tw": "--wf-in-sample 與 --wf-out-of-sample 必須同時提供",
        "zh-cn": "--wf-in-sample 与 --wf-out-of-sample 必须同时提供",
    },
    "param_sweep_missing": {
        "en": "--param: give at least one parameter to sweep, e.g. --param fast=5:50:5",
        "zh-tw": "--param：請至少提供一個要掃描的參數，例如 --param fast=5:50:5",
        "zh-cn": "--param：请至少提供一个要扫描的参数，例如 --param fast=5:50:5",
    },
    "day_invalid": {
        "en": "{option}: {value!r} is not a date, expected YYYY-MM-DD",
        "zh-tw": "{option}：{value!r} 不是日期，格式應為 YYYY-MM-DD",
        "zh-cn": "{option}：{value!r} 不是日期，格式应为 YYYY-MM-DD",
    },
    "sim_from_invalid": {
        "en": "--from: {value!r} is not a date; expected YYYY-MM-DD (or 'YYYY-MM-DD HH:MM', UTC), e.g. --from "
              "2017-01-02",
        "zh-tw": "--from：{value!r} 不是日期；格式應為 YYYY-MM-DD（或 'YYYY-MM-DD HH:MM'，UTC），"
                 "例如 --from 2017-01-02",
        "zh-cn": "--from：{value!r} 不是日期；格式应为 YYYY-MM-DD（或 'YYYY-MM-DD HH:MM'，UTC），"
                 "例如 --from 2017-01-02",
    },
    "sim_tls_pair": {
        "en": "--tls-cert and --tls-key go together: give both (or neither, for a plain sim:// server)",
        "zh-tw": "--tls-cert 與 --tls-key 必須同時提供（或都不提供，即一般的 sim:// 伺服器）",
        "zh-cn": "--tls-cert 与 --tls-key 必须同时提供（或都不提供，即普通的 sim:// 服务器）",
    },
    "sim_no_account": {
        "en": "no account can log in: give --accounts FILE (logins and password hashes, see docs/live.md) or "
              "--allow-new-accounts (paper trading: any login creates an account)",
        "zh-tw": "沒有任何帳號可以登入：請提供 --accounts FILE（帳號與密碼雜湊，見 docs/live.md）"
                 "或 --allow-new-accounts（模擬交易：任何帳號登入時自動建立）",
        "zh-cn": "没有任何账号可以登录：请提供 --accounts FILE（账号与密码哈希，见 docs/live.md）"
                 "或 --allow-new-accounts（模拟交易：任何账号登录时自动创建）",
    },
    "sim_needs_extra": {
        "en": "{reason}; install the server extra: pip install 'mas-sdk[server]'",
        "zh-tw": "{reason}；請安裝伺服器擴充套件：pip install 'mas-sdk[server]'",
        "zh-cn": "{reason}；请安装服务器扩展包：pip install 'mas-sdk[server]'",
    },
    "min_gap_positive": {
        "en": "--min-gap: must be above 0 minutes, got {value:g}",
        "zh-tw": "--min-gap：必須大於 0 分鐘，收到 {value:g}",
        "zh-cn": "--min-gap：必须大于 0 分钟，收到 {value:g}",
    },
    "source_unsupported": {
        "en": "--source: {value!r} is not supported; use {valid}",
        "zh-tw": "--source：不支援 {value!r}；請使用 {valid}",
        "zh-cn": "--source：不支持 {value!r}；请使用 {valid}",
    },
    "dukascopy_m1_only": {
        "en": "--timeframe: Dukascopy has M1 candles, not {value}; download M1 (every timeframe is resampled from it "
              "when loaded) or --ticks",
        "zh-tw": "--timeframe：Dukascopy 只提供 M1 K線，沒有 {value}；請下載 M1（載入時會由它重新取樣出各時間週期）"
                 "或使用 --ticks",
        "zh-cn": "--timeframe：Dukascopy 只提供 M1 K线，没有 {value}；请下载 M1（加载时会由它重新采样出各时间周期）"
                 "或使用 --ticks",
    },
    "mt5_needs_profile": {
        "en": "--profile: --source mt5 logs in with a broker profile; create one with 'mas broker add NAME ...' and "
              "pass --profile NAME",
        "zh-tw": "--profile：--source mt5 需要以券商設定檔登入；請以 'mas broker add NAME ...' 建立後"
                 "傳入 --profile NAME",
        "zh-cn": "--profile：--source mt5 需要以券商配置登录；请以 'mas broker add NAME ...' 创建后"
                 "传入 --profile NAME",
    },
    "profile_no_login": {
        "en": "broker profile {profile} has no login number; add it with mas broker add",
        "zh-tw": "券商設定檔 {profile} 沒有登入帳號；請以 mas broker add 補上",
        "zh-cn": "券商配置 {profile} 没有登录账号；请以 mas broker add 补上",
    },
    "mt5_login_failed": {
        "en": "--source mt5: could not log in with profile {profile}: {reason}",
        "zh-tw": "--source mt5：無法以設定檔 {profile} 登入：{reason}",
        "zh-cn": "--source mt5：无法以配置 {profile} 登录：{reason}",
    },
    "bars_not_stored": {
        "en": "SYMBOL: no bars of {symbol} are stored ({hint}); stored: {stored}. Import some with: mas data import "
              "FILE --symbol {symbol} --timeframe H1 (or mas data download {symbol} --from YYYY-MM-DD --to YYYY-MM-DD)",
        "zh-tw": "SYMBOL：沒有儲存 {symbol} 的K線（{hint}）；已儲存：{stored}。匯入方式：mas data import "
                 "FILE --symbol {symbol} --timeframe H1（或 mas data download {symbol} "
                 "--from YYYY-MM-DD --to YYYY-MM-DD）",
        "zh-cn": "SYMBOL：没有存储 {symbol} 的K线（{hint}）；已存储：{stored}。导入方式：mas data import "
                 "FILE --symbol {symbol} --timeframe H1（或 mas data download {symbol} "
                 "--from YYYY-MM-DD --to YYYY-MM-DD）",
    },
    "nothing_stored": {"en": "nothing", "zh-tw": "無", "zh-cn": "无"},
    "path_is_folder": {
        "en": "{path} is a folder; give a file name, e.g. {example}",
        "zh-tw": "{path} 是資料夾；請提供檔案名稱，例如 {example}",
        "zh-cn": "{path} 是文件夹；请提供文件名，例如 {example}",
    },
    "folder_not_writable": {
        "en": "{folder} is not writable", "zh-tw": "{folder} 無法寫入", "zh-cn": "{folder} 无法写入",
    },
    "cannot_write_option": {
        "en": "{option} {path}: cannot write there ({reason})",
        "zh-tw": "{option} {path}：無法寫入該位置（{reason}）",
        "zh-cn": "{option} {path}：无法写入该位置（{reason}）",
    },
    "cannot_write": {
        "en": "{path}: cannot write there ({reason})",
        "zh-tw": "{path}：無法寫入該位置（{reason}）",
        "zh-cn": "{path}：无法写入该位置（{reason}）",
    },
    "exe_needs_pyinstaller": {
        "en": "--exe needs PyInstaller: pip install pyinstaller",
        "zh-tw": "--exe 需要 PyInstaller：pip install pyinstaller",
        "zh-cn": "--exe 需要 PyInstaller：pip install pyinstaller",
    },
    "pyinstaller_failed": {
        "en": "PyInstaller failed (exit code {code})",
        "zh-tw": "PyInstaller 執行失敗（結束代碼 {code}）",
        "zh-cn": "PyInstaller 执行失败（退出代码 {code}）",
    },
    # ------------------------------------------------------------------ the user's strategy code
    "user_syntax_error": {
        "en": "{kind} in your strategy {file}, line {line}:",
        "zh-tw": "您的策略 {file} 第 {line} 行有 {kind}：",
        "zh-cn": "您的策略 {file} 第 {line} 行有 {kind}：",
    },
    "user_code_error": {
        "en": "error in your strategy (your code's frames, most recent call last; --traceback shows them all):",
        "zh-tw": "您的策略發生錯誤（只列出您程式碼的堆疊，最近的呼叫在最後；--traceback 顯示完整堆疊）：",
        "zh-cn": "您的策略发生错误（只列出您代码的堆栈，最近的调用在最后；--traceback 显示完整堆栈）：",
    },
    "user_frame": {
        "en": '  File "{file}", line {line}, in {name}',
        "zh-tw": '  檔案 "{file}"，第 {line} 行，於 {name}',
        "zh-cn": '  文件 "{file}"，第 {line} 行，于 {name}',
    },
    # ------------------------------------------------------------------ click's usage errors (mas.cli.lang)
    "click_error_title": {"en": "Error", "zh-tw": "錯誤", "zh-cn": "错误"},
    "click_try_help": {
        "en": "Try [blue]'{{command_path}} {{help_option}}'[/] for help.",
        "zh-tw": "執行 [blue]'{{command_path}} {{help_option}}'[/] 查看說明。",
        "zh-cn": "运行 [blue]'{{command_path}} {{help_option}}'[/] 查看帮助。",
    },
    "click_aborted": {"en": "Aborted.", "zh-tw": "已中止。", "zh-cn": "已中止。"},
    "click_no_such_option": {
        "en": "No such option: {name}",
        "zh-tw": "沒有此選項：{name}",
        "zh-cn": "没有此选项：{name}",
    },
    "click_did_you_mean": {
        "en": " Did you mean {close}?",
        "zh-tw": "您是指 {close} 嗎？",
        "zh-cn": "您是指 {close} 吗？",
    },
    "click_possible_options": {
        "en": " (Possible options: {options})",
        "zh-tw": "（可能的選項：{options}）",
        "zh-cn": "（可能的选项：{options}）",
    },
    "click_missing_option": {"en": "Missing option{hint}.", "zh-tw": "缺少選項{hint}。", "zh-cn": "缺少选项{hint}。"},
    "click_missing_argument": {
        "en": "Missing argument{hint}.",
        "zh-tw": "缺少引數{hint}。",
        "zh-cn": "缺少参数{hint}。",
    },
    "click_missing_command": {"en": "Missing command.", "zh-tw": "缺少命令。", "zh-cn": "缺少命令。"},
    "click_missing_parameter": {
        "en": "Missing parameter{hint}.", "zh-tw": "缺少參數{hint}。", "zh-cn": "缺少参数{hint}。",
    },
    "click_invalid_value_for": {
        "en": "Invalid value for {hint}: ", "zh-tw": "{hint} 的值無效：", "zh-cn": "{hint} 的值无效：",
    },
    "click_invalid_value": {"en": "Invalid value: ", "zh-tw": "值無效：", "zh-cn": "值无效："},
    "input_integer": {"en": "Input should be a valid integer", "zh-tw": "應為有效的整數", "zh-cn": "应为有效的整数"},
    "input_number": {"en": "Input should be a valid number", "zh-tw": "應為有效的數字", "zh-cn": "应为有效的数字"},
    "input_boolean": {
        "en": "Input should be a valid boolean",
        "zh-tw": "應為有效的布林值",
        "zh-cn": "应为有效的布尔值",
    },
    "input_at_least": {
        "en": "Input should be greater than or equal to {low}",
        "zh-tw": "應大於或等於 {low}",
        "zh-cn": "应大于或等于 {low}",
    },
    "input_above": {"en": "Input should be greater than {low}", "zh-tw": "應大於 {low}", "zh-cn": "应大于 {low}"},
    "input_at_most": {
        "en": "Input should be less than or equal to {high}",
        "zh-tw": "應小於或等於 {high}",
        "zh-cn": "应小于或等于 {high}",
    },
    "click_not_integer": {
        "en": "{value} is not a valid integer.",
        "zh-tw": "{value} 不是有效的整數。",
        "zh-cn": "{value} 不是有效的整数。",
    },
    "click_not_float": {
        "en": "{value} is not a valid float.", "zh-tw": "{value} 不是有效的數字。", "zh-cn": "{value} 不是有效的数字。",
    },
    "click_not_boolean": {
        "en": "{value} is not a valid boolean.",
        "zh-tw": "{value} 不是有效的布林值。",
        "zh-cn": "{value} 不是有效的布尔值。",
    },
    "click_not_choice": {
        "en": "{value} is not one of {choices}.",
        "zh-tw": "{value} 不是 {choices} 其中之一。",
        "zh-cn": "{value} 不是 {choices} 其中之一。",
    },
    "click_not_in_range": {
        "en": "{value} is not in the range {range}.",
        "zh-tw": "{value} 不在範圍 {range} 內。",
        "zh-cn": "{value} 不在范围 {range} 内。",
    },
    "click_extra_arguments": {
        "en": "Got unexpected extra arguments ({args})",
        "zh-tw": "收到多餘的引數（{args}）",
        "zh-cn": "收到多余的参数（{args}）",
    },
    "click_no_such_command": {
        "en": "No such command {name}.", "zh-tw": "沒有此指令 {name}。", "zh-cn": "没有此命令 {name}。",
    },
    "click_requires_argument": {
        "en": "Option {name} requires an argument.",
        "zh-tw": "選項 {name} 需要一個值。",
        "zh-cn": "选项 {name} 需要一个值。",
    },
    "click_requires_arguments": {
        "en": "Option {name} requires {count} arguments.",
        "zh-tw": "選項 {name} 需要 {count} 個值。",
        "zh-cn": "选项 {name} 需要 {count} 个值。",
    },
}
