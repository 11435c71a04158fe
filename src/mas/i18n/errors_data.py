"""Error message catalog of data, reports, the optimizer and backtest plots: key -> {language: template}.

The raise sites are in mas.data, mas.reports, mas.optimize, mas.backtest.plots, the ``mas backtest``, ``mas optimize``
and ``mas symbols`` commands and mas.app.backtests.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated.
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ shared
    "in_file_problem": {"en": "{path}: {problem}", "zh-tw": "{path}：{problem}", "zh-cn": "{path}：{problem}"},
    "path_prefix": {"en": "{path}: ", "zh-tw": "{path}：", "zh-cn": "{path}："},
    "sep_semicolon": {"en": "; ", "zh-tw": "；", "zh-cn": "；"},
    "start_after_end": {
        "en": "start {start} is after end {end}",
        "zh-tw": "開始時間 {start} 晚於結束時間 {end}",
        "zh-cn": "开始时间 {start} 晚于结束时间 {end}",
    },
    # ------------------------------------------------------------------ symbols file (mas.data.symbol_file)
    "sf_symbol_name": {
        "en": "symbol name {name!r}: use letters, digits and . _ # & + ! - (at most 32, starting with a letter or "
              "digit), e.g. US30 or EURUSD.m",
        "zh-tw": "商品名稱 {name!r}：請使用字母、數字與 . _ # & + ! -（最多 32 個字元，以字母或數字開頭），"
                 "例如 US30 或 EURUSD.m",
        "zh-cn": "品种名称 {name!r}：请使用字母、数字与 . _ # & + ! -（最多 32 个字符，以字母或数字开头），"
                 "例如 US30 或 EURUSD.m",
    },
    "sf_bad_value": {
        "en": "symbol {symbol}: {key} = {value!r} is {why}; allowed: {allowed}",
        "zh-tw": "商品 {symbol}：{key} = {value!r} {why}；允許的值：{allowed}",
        "zh-cn": "品种 {symbol}：{key} = {value!r} {why}；允许的值：{allowed}",
    },
    "sf_why_not_text": {"en": "not text", "zh-tw": "不是文字", "zh-cn": "不是文本"},
    "sf_why_not_currency": {"en": "not a currency code", "zh-tw": "不是貨幣代碼", "zh-cn": "不是货币代码"},
    "sf_why_not_choice": {"en": "not one of the choices", "zh-tw": "不在可選的值之中", "zh-cn": "不在可选的值之中"},
    "sf_why_not_number": {"en": "not a number", "zh-tw": "不是數字", "zh-cn": "不是数字"},
    "sf_why_not_whole": {"en": "not a whole number", "zh-tw": "不是整數", "zh-cn": "不是整数"},
    "sf_why_not_finite": {"en": "not a finite number", "zh-tw": "不是有限數值", "zh-cn": "不是有限数值"},
    "sf_why_out_of_range": {"en": "out of range", "zh-tw": "超出範圍", "zh-cn": "超出范围"},
    "sf_allowed_any_text": {"en": "any text", "zh-tw": "任意文字", "zh-cn": "任意文本"},
    "sf_allowed_base": {
        "en": "a currency code such as EUR, USD or XAU (2-10 letters or digits)",
        "zh-tw": "貨幣代碼，例如 EUR、USD 或 XAU（2-10 個字母或數字）",
        "zh-cn": "货币代码，例如 EUR、USD 或 XAU（2-10 个字母或数字）",
    },
    "sf_allowed_profit": {
        "en": "a currency code such as USD or JPY (2-10 letters or digits)",
        "zh-tw": "貨幣代碼，例如 USD 或 JPY（2-10 個字母或數字）",
        "zh-cn": "货币代码，例如 USD 或 JPY（2-10 个字母或数字）",
    },
    "sf_allowed_margin": {
        "en": "a currency code (2-10 letters or digits); the base currency when left out",
        "zh-tw": "貨幣代碼（2-10 個字母或數字）；省略時為基礎貨幣",
        "zh-cn": "货币代码（2-10 个字母或数字）；省略时为基础货币",
    },
    "sf_allowed_digits": {
        "en": "a whole number from 0 to {most}",
        "zh-tw": "0 到 {most} 的整數",
        "zh-cn": "0 到 {most} 的整数",
    },
    "sf_allowed_contract": {
        "en": "a number above 0 (units per lot, e.g. 100000 or 1)",
        "zh-tw": "大於 0 的數字（每手單位數，例如 100000 或 1）",
        "zh-cn": "大于 0 的数字（每手单位数，例如 100000 或 1）",
    },
    "sf_allowed_lots": {"en": "a number above 0 (lots)", "zh-tw": "大於 0 的數字（手數）",
                        "zh-cn": "大于 0 的数字（手数）"},
    "sf_allowed_points": {
        "en": "a whole number of points, 0 or more",
        "zh-tw": "0 或以上的整數點數",
        "zh-cn": "0 或以上的整数点数",
    },
    "sf_allowed_swap": {
        "en": "a number of points per lot per night (negative: the trader pays)",
        "zh-tw": "每手每晚的點數（負數：由交易者支付）",
        "zh-cn": "每手每晚的点数（负数：由交易者支付）",
    },
    "sf_allowed_commission": {
        "en": "a number, 0 or more (account currency per lot per side)",
        "zh-tw": "0 或以上的數字（每手單邊，以帳戶貨幣計）",
        "zh-cn": "0 或以上的数字（每手单边，以账户货币计）",
    },
    "sf_allowed_margin_rate": {
        "en": "a number above 0 (1 = the full margin)",
        "zh-tw": "大於 0 的數字（1 = 全額保證金）",
        "zh-cn": "大于 0 的数字（1 = 全额保证金）",
    },
    "sf_allowed_margin_hedged": {
        "en": "a number, 0 or more (contract size of hedged volume)",
        "zh-tw": "0 或以上的數字（對沖手數的合約大小）",
        "zh-cn": "0 或以上的数字（对冲手数的合约大小）",
    },
    "sf_allowed_path": {
        "en": "any text, e.g. 'Indices\\\\US30'",
        "zh-tw": "任意文字，例如 'Indices\\\\US30'",
        "zh-cn": "任意文本，例如 'Indices\\\\US30'",
    },
    "sf_unknown_fields": {
        "en": "symbol {symbol}: unknown field(s) {unknown}; known fields: {known}",
        "zh-tw": "商品 {symbol}：未知的欄位 {unknown}；可用的欄位：{known}",
        "zh-cn": "品种 {symbol}：未知的字段 {unknown}；可用的字段：{known}",
    },
    "sf_needs_required": {
        "en": "symbol {symbol} is not built in, so it needs {required}; missing: {missing} "
              "(or copy a symbol's spec with --like NAME)",
        "zh-tw": "商品 {symbol} 不是內建商品，因此需要 {required}；缺少：{missing}"
                 "（或以 --like NAME 複製某個商品的規格）",
        "zh-cn": "品种 {symbol} 不是内置品种，因此需要 {required}；缺少：{missing}"
                 "（或以 --like NAME 复制某个品种的规格）",
    },
    "sf_volume_order": {
        "en": "symbol {symbol}: volume_min ({low:g}) is above volume_max ({high:g}); allowed: volume_min <= volume_max",
        "zh-tw": "商品 {symbol}：volume_min（{low:g}）大於 volume_max（{high:g}）；須符合 volume_min <= volume_max",
        "zh-cn": "品种 {symbol}：volume_min（{low:g}）大于 volume_max（{high:g}）；须符合 volume_min <= volume_max",
    },
    "sf_not_toml": {
        "en": "{path}: not valid TOML ({reason}); fix the file or move it away",
        "zh-tw": "{path}：不是有效的 TOML（{reason}）；請修正檔案或將它移走",
        "zh-cn": "{path}：不是有效的 TOML（{reason}）；请修正文件或将它移走",
    },
    "sf_unknown_tables": {
        "en": "{path}: unknown table(s) {unknown}; the file holds [symbols.NAME] tables and one [suffixes] table",
        "zh-tw": "{path}：未知的表格 {unknown}；此檔案只能包含 [symbols.NAME] 表格與一個 [suffixes] 表格",
        "zh-cn": "{path}：未知的表 {unknown}；此文件只能包含 [symbols.NAME] 表与一个 [suffixes] 表",
    },
    "sf_symbols_tables": {
        "en": "{path}: 'symbols' must be tables [symbols.NAME]",
        "zh-tw": "{path}：'symbols' 必須是 [symbols.NAME] 表格",
        "zh-cn": "{path}：'symbols' 必须是 [symbols.NAME] 表",
    },
    "sf_symbol_table": {
        "en": "{path}: symbols.{name} must be a table [symbols.{name}] of fields",
        "zh-tw": "{path}：symbols.{name} 必須是由欄位組成的表格 [symbols.{name}]",
        "zh-cn": "{path}：symbols.{name} 必须是由字段组成的表 [symbols.{name}]",
    },
    "sf_suffixes_table": {
        "en": "{path}: 'suffixes' must be a table [suffixes] of profile = \"suffix\"",
        "zh-tw": "{path}：'suffixes' 必須是由 profile = \"suffix\" 組成的表格 [suffixes]",
        "zh-cn": "{path}：'suffixes' 必须是由 profile = \"suffix\" 组成的表 [suffixes]",
    },
    "sf_suffix_profile": {
        "en": "{prefix}suffixes: {profile!r} is not a broker profile name or '*' (every profile)",
        "zh-tw": "{prefix}suffixes：{profile!r} 不是券商設定檔名稱，也不是 '*'（所有設定檔）",
        "zh-cn": "{prefix}suffixes：{profile!r} 不是券商配置名称，也不是 '*'（所有配置）",
    },
    "sf_suffix_invalid": {
        "en": "{prefix}suffixes.{profile} = {suffix!r}: allowed: 1-16 letters, digits or . _ # & + ! -, "
              "e.g. '.m', 'pro' or '_i'",
        "zh-tw": "{prefix}suffixes.{profile} = {suffix!r}：允許 1-16 個字母、數字或 . _ # & + ! -，"
                 "例如 '.m'、'pro' 或 '_i'",
        "zh-cn": "{prefix}suffixes.{profile} = {suffix!r}：允许 1-16 个字母、数字或 . _ # & + ! -，"
                 "例如 '.m'、'pro' 或 '_i'",
    },
    "sf_csv_unreadable": {
        "en": "--from-mt5-csv {path}: cannot read it ({reason})",
        "zh-tw": "--from-mt5-csv {path}：無法讀取（{reason}）",
        "zh-cn": "--from-mt5-csv {path}：无法读取（{reason}）",
    },
    "sf_csv_no_row": {
        "en": "--from-mt5-csv {path}: no row named {name} (rows: {shown})",
        "zh-tw": "--from-mt5-csv {path}：沒有名為 {name} 的列（現有的列：{shown}）",
        "zh-cn": "--from-mt5-csv {path}：没有名为 {name} 的行（现有的行：{shown}）",
    },
    "sf_csv_no_rows": {
        "en": "no 'name' column or no rows",
        "zh-tw": "沒有 'name' 欄或沒有任何列",
        "zh-cn": "没有 'name' 列或没有任何行",
    },
    # ------------------------------------------------------------------ mas symbols (mas.cli.symbols)
    "sym_like_and_csv": {
        "en": "--like and --from-mt5-csv: give one of them, not both",
        "zh-tw": "--like 與 --from-mt5-csv：只能擇一，不可同時提供",
        "zh-cn": "--like 与 --from-mt5-csv：只能择一，不可同时提供",
    },
    "sym_set_unknown": {
        "en": "--set {item}: unknown field {key!r}; known fields: {known}",
        "zh-tw": "--set {item}：未知的欄位 {key!r}；可用的欄位：{known}",
        "zh-cn": "--set {item}：未知的字段 {key!r}；可用的字段：{known}",
    },
    "sym_suffix_or_remove": {
        "en": "give a SUFFIX, or --remove (not both)",
        "zh-tw": "請提供 SUFFIX，或使用 --remove（不可同時使用）",
        "zh-cn": "请提供 SUFFIX，或使用 --remove（不可同时使用）",
    },
    "sym_no_spec": {
        "en": "no spec of {key} in {path} ({why})",
        "zh-tw": "{path} 中沒有 {key} 的規格（{why}）",
        "zh-cn": "{path} 中没有 {key} 的规格（{why}）",
    },
    "sym_why_builtin": {
        "en": "a built-in symbol stays; only your specs can be removed",
        "zh-tw": "內建商品會保留；只能移除您自己的規格",
        "zh-cn": "内置品种会保留；只能删除您自己的规格",
    },
    "sym_why_list": {
        "en": "'mas symbols list' shows the symbols",
        "zh-tw": "'mas symbols list' 會列出所有商品",
        "zh-cn": "'mas symbols list' 会列出所有品种",
    },
    "sym_did_you_mean": {"en": "did you mean {close!r}?", "zh-tw": "您是指 {close!r} 嗎？",
                         "zh-cn": "您是指 {close!r} 吗？"},
    # ------------------------------------------------------------------ saved results (mas.reports.saved_result)
    "saved_no_file": {"en": "{path}: no such file", "zh-tw": "{path}：檔案不存在", "zh-cn": "{path}：文件不存在"},
    "saved_not_file": {"en": "{path}: not a file", "zh-tw": "{path}：不是檔案", "zh-cn": "{path}：不是文件"},
    "saved_unreadable": {
        "en": "{path}: cannot be read ({reason})",
        "zh-tw": "{path}：無法讀取（{reason}）",
        "zh-cn": "{path}：无法读取（{reason}）",
    },
    "saved_bad_json": {
        "en": "{path}: not valid JSON ({reason} at line {line}, column {column})",
        "zh-tw": "{path}：不是有效的 JSON（第 {line} 行第 {column} 欄：{reason}）",
        "zh-cn": "{path}：不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）",
    },
    "saved_hint": {
        "en": "is not a result saved by 'mas backtest --json'",
        "zh-tw": "不是 'mas backtest --json' 儲存的結果",
        "zh-cn": "不是 'mas backtest --json' 保存的结果",
    },
    "saved_not_object": {
        "en": "{hint}: expected a JSON object, got {kind}",
        "zh-tw": "{hint}：應為 JSON 物件，收到 {kind}",
        "zh-cn": "{hint}：应为 JSON 对象，收到 {kind}",
    },
    "saved_missing_keys": {"en": "{hint}: missing {missing}", "zh-tw": "{hint}：缺少 {missing}",
                           "zh-cn": "{hint}：缺少 {missing}"},
    "saved_settings_objects": {
        "en": "{hint}: 'settings' and 'metrics' must be objects",
        "zh-tw": "{hint}：'settings' 與 'metrics' 必須是物件",
        "zh-cn": "{hint}：'settings' 与 'metrics' 必须是对象",
    },
    "saved_lists": {
        "en": "{hint}: 'trades' and 'equity' must be lists",
        "zh-tw": "{hint}：'trades' 與 'equity' 必須是清單",
        "zh-cn": "{hint}：'trades' 与 'equity' 必须是列表",
    },
    "saved_equity_empty": {
        "en": "the equity curve is empty (the run replayed no bars): nothing to report",
        "zh-tw": "淨值曲線是空的（此次執行沒有重播任何K線）：沒有可報告的內容",
        "zh-cn": "净值曲线是空的（此次运行没有重播任何K线）：没有可报告的内容",
    },
    "saved_not_pair": {
        "en": "{hint}: {where} is not a [time, {what}] pair",
        "zh-tw": "{hint}：{where} 不是 [time, {what}] 形式的一對值",
        "zh-cn": "{hint}：{where} 不是 [time, {what}] 形式的一对值",
    },
    "saved_time_not_text": {
        "en": "{where}: expected a time string, got {value!r}",
        "zh-tw": "{where}：應為時間字串，收到 {value!r}",
        "zh-cn": "{where}：应为时间字符串，收到 {value!r}",
    },
    "saved_time_invalid": {
        "en": "{where}: {value!r} is not a time 'YYYY-MM-DD HH:MM:SS'",
        "zh-tw": "{where}：{value!r} 不是 'YYYY-MM-DD HH:MM:SS' 格式的時間",
        "zh-cn": "{where}：{value!r} 不是 'YYYY-MM-DD HH:MM:SS' 格式的时间",
    },
    "saved_not_number": {
        "en": "{where}: expected a finite number, got {value!r}",
        "zh-tw": "{where}：應為有限數值，收到 {value!r}",
        "zh-cn": "{where}：应为有限数值，收到 {value!r}",
    },
    "saved_per_point": {
        "en": "{hint}: '{key}' must be a list of one number per equity point ({count})",
        "zh-tw": "{hint}：'{key}' 必須是每個淨值點各一個數字的清單（{count} 個）",
        "zh-cn": "{hint}：'{key}' 必须是每个净值点各一个数字的列表（{count} 个）",
    },
    "saved_orders_list": {
        "en": "{hint}: 'orders' must be a list of objects",
        "zh-tw": "{hint}：'orders' 必須是物件清單",
        "zh-cn": "{hint}：'orders' 必须是对象列表",
    },
    "saved_plots_map": {
        "en": "{hint}: 'plots' must map each symbol to its series by name",
        "zh-tw": "{hint}：'plots' 必須以商品為鍵，對應到依名稱排列的序列",
        "zh-cn": "{hint}：'plots' 必须以品种为键，对应到按名称排列的序列",
    },
    "saved_plot_body": {
        "en": "{hint}: {where} must be {{'panel': 'price' or 'lower', 'values': [...]}}",
        "zh-tw": "{hint}：{where} 必須是 {{'panel': 'price' 或 'lower', 'values': [...]}}",
        "zh-cn": "{hint}：{where} 必须是 {{'panel': 'price' 或 'lower', 'values': [...]}}",
    },
    "saved_trade_not_object": {"en": "{where}: expected an object", "zh-tw": "{where}：應為物件",
                               "zh-cn": "{where}：应为对象"},
    "saved_trade_missing": {"en": "{where}: missing {missing}", "zh-tw": "{where}：缺少 {missing}",
                            "zh-cn": "{where}：缺少 {missing}"},
    "saved_trade_no_close": {
        "en": "{where}: a closed trade needs a close_time",
        "zh-tw": "{where}：已平倉的交易需要 close_time",
        "zh-cn": "{where}：已平仓的交易需要 close_time",
    },
    "saved_direction": {
        "en": "{where}.direction: expected 'buy' or 'sell', got {value!r}",
        "zh-tw": "{where}.direction：應為 'buy' 或 'sell'，收到 {value!r}",
        "zh-cn": "{where}.direction：应为 'buy' 或 'sell'，收到 {value!r}",
    },
    "saved_position_id": {
        "en": "{where}.position_id: expected a whole number, got {value!r}",
        "zh-tw": "{where}.position_id：應為整數，收到 {value!r}",
        "zh-cn": "{where}.position_id：应为整数，收到 {value!r}",
    },
    # ------------------------------------------------------------------ --param ranges (mas.optimize.space)
    "param_spec_syntax": {
        "en": "expected name=start:stop:step (e.g. fast=5:50:5), name=v1,v2,... or name=value",
        "zh-tw": "格式應為 name=start:stop:step（例如 fast=5:50:5）、name=v1,v2,... 或 name=value",
        "zh-cn": "格式应为 name=start:stop:step（例如 fast=5:50:5）、name=v1,v2,... 或 name=value",
    },
    "param_spec_not_number": {
        "en": "--param {spec!r}: {part} {text!r} of {name!r} is not a number; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 的 {part} {text!r} 不是數字；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 的 {part} {text!r} 不是数字；{syntax}",
    },
    "param_spec_not_finite": {
        "en": "--param {spec!r}: {part} of {name!r} must be a finite number; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 的 {part} 必須是有限數值；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 的 {part} 必须是有限数值；{syntax}",
    },
    "param_spec_range_parts": {
        "en": "--param {spec!r}: a range of {name!r} needs start:stop:step; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 的範圍需要 start:stop:step；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 的范围需要 start:stop:step；{syntax}",
    },
    "param_spec_step_zero": {
        "en": "--param {spec!r}: the step of {name!r} must not be 0; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 的 step 不可為 0；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 的 step 不可为 0；{syntax}",
    },
    "param_spec_step_negative": {
        "en": "--param {spec!r}: the step {step} of {name!r} moves away from stop {stop} (start {start}); "
              "use a negative step",
        "zh-tw": "--param {spec!r}：{name!r} 的 step {step} 離 stop {stop} 越來越遠（start {start}）；請使用負的 step",
        "zh-cn": "--param {spec!r}：{name!r} 的 step {step} 离 stop {stop} 越来越远（start {start}）；请使用负的 step",
    },
    "param_spec_step_positive": {
        "en": "--param {spec!r}: the step {step} of {name!r} moves away from stop {stop} (start {start}); "
              "use a positive step",
        "zh-tw": "--param {spec!r}：{name!r} 的 step {step} 離 stop {stop} 越來越遠（start {start}）；請使用正的 step",
        "zh-cn": "--param {spec!r}：{name!r} 的 step {step} 离 stop {stop} 越来越远（start {start}）；请使用正的 step",
    },
    "param_spec_too_many": {
        "en": "--param {spec!r}: {count} values for {name!r} is more than {most}; use a larger step",
        "zh-tw": "--param {spec!r}：{name!r} 有 {count} 個值，超過上限 {most}；請使用較大的 step",
        "zh-cn": "--param {spec!r}：{name!r} 有 {count} 个值，超过上限 {most}；请使用较大的 step",
    },
    "param_spec_no_equals": {
        "en": "--param {spec!r}: no '='; {syntax}",
        "zh-tw": "--param {spec!r}：缺少 '='；{syntax}",
        "zh-cn": "--param {spec!r}：缺少 '='；{syntax}",
    },
    "param_spec_bad_name": {
        "en": "--param {spec!r}: {name!r} is not a parameter name (letters, digits, _ and dotted paths such as "
              "risk.stop_loss.value); {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 不是參數名稱"
                 "（可用字母、數字、_ 以及 risk.stop_loss.value 這類以點分隔的路徑）；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 不是参数名称"
                 "（可用字母、数字、_ 以及 risk.stop_loss.value 这类以点分隔的路径）；{syntax}",
    },
    "param_spec_no_value": {
        "en": "--param {spec!r}: no value for {name!r}; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 沒有值；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 没有值；{syntax}",
    },
    "param_spec_empty_item": {
        "en": "--param {spec!r}: an empty value in the list of {name!r}; {syntax}",
        "zh-tw": "--param {spec!r}：{name!r} 的清單中有空值；{syntax}",
        "zh-cn": "--param {spec!r}：{name!r} 的列表中有空值；{syntax}",
    },
    "param_spec_duplicates": {
        "en": "--param {spec!r}: {name!r} lists {values} more than once",
        "zh-tw": "--param {spec!r}：{name!r} 重複列出了 {values}",
        "zh-cn": "--param {spec!r}：{name!r} 重复列出了 {values}",
    },
    "param_spec_twice": {
        "en": "--param: {names} given more than once",
        "zh-tw": "--param：{names} 重複指定了不只一次",
        "zh-cn": "--param：{names} 重复指定了不止一次",
    },
    "param_spec_no_values": {
        "en": "--param: {name!r} has no values",
        "zh-tw": "--param：{name!r} 沒有任何值",
        "zh-cn": "--param：{name!r} 没有任何值",
    },
    # ------------------------------------------------------------------ constraints (mas.optimize.constraints)
    "constraint_no_value": {
        "en": "constraint {text!r}: no value for parameter {name!r}",
        "zh-tw": "限制條件 {text!r}：參數 {name!r} 沒有值",
        "zh-cn": "约束条件 {text!r}：参数 {name!r} 没有值",
    },
    "constraint_cannot_evaluate": {
        "en": "constraint {text!r} cannot be evaluated for {params}: {reason}",
        "zh-tw": "限制條件 {text!r} 無法以 {params} 求值：{reason}",
        "zh-cn": "约束条件 {text!r} 无法以 {params} 求值：{reason}",
    },
    "constraint_unknown_one": {
        "en": "constraint {text!r}: {names} is not swept with --param (parameters: {known})",
        "zh-tw": "限制條件 {text!r}：{names} 不是以 --param 掃描的參數（參數：{known}）",
        "zh-cn": "约束条件 {text!r}：{names} 不是以 --param 扫描的参数（参数：{known}）",
    },
    "constraint_unknown_many": {
        "en": "constraint {text!r}: {names} are not swept with --param (parameters: {known})",
        "zh-tw": "限制條件 {text!r}：{names} 不是以 --param 掃描的參數（參數：{known}）",
        "zh-cn": "约束条件 {text!r}：{names} 不是以 --param 扫描的参数（参数：{known}）",
    },
    "constraint_malformed": {
        "en": "constraint {text!r}: {problem}; expected comparisons of parameters and numbers, e.g. \"fast < slow\" "
              "or \"slow >= 2 * fast\"",
        "zh-tw": "限制條件 {text!r}：{problem}；應為參數與數字的比較，例如 \"fast < slow\" 或 \"slow >= 2 * fast\"",
        "zh-cn": "约束条件 {text!r}：{problem}；应为参数与数字的比较，例如 \"fast < slow\" 或 \"slow >= 2 * fast\"",
    },
    "constraint_unexpected_at": {
        "en": "unexpected {token!r} at position {position}",
        "zh-tw": "第 {position} 個字元處出現非預期的 {token!r}",
        "zh-cn": "第 {position} 个字符处出现意外的 {token!r}",
    },
    "constraint_unexpected": {"en": "unexpected {token!r}", "zh-tw": "非預期的 {token!r}",
                              "zh-cn": "意外的 {token!r}"},
    "constraint_ends_early": {"en": "it ends too early", "zh-tw": "內容提前結束", "zh-cn": "内容提前结束"},
    "constraint_empty": {"en": "it is empty", "zh-tw": "內容是空的", "zh-cn": "内容是空的"},
    "constraint_no_comparison": {"en": "there is no comparison", "zh-tw": "沒有比較運算", "zh-cn": "没有比较运算"},
    "constraint_paren_open": {"en": "a '(' is not closed", "zh-tw": "有 '(' 沒有閉合", "zh-cn": "有 '(' 没有闭合"},
    "constraint_not_text": {
        "en": "constraint: expected text, got {value!r}",
        "zh-tw": "限制條件：應為文字，收到 {value!r}",
        "zh-cn": "约束条件：应为文本，收到 {value!r}",
    },
    "constraint_not_held": {
        "en": "constraint {text!r} does not hold",
        "zh-tw": "限制條件 {text!r} 不成立",
        "zh-cn": "约束条件 {text!r} 不成立",
    },
    # ------------------------------------------------------------------ optimizer targets and options (mas.optimize)
    "opt_param_unknown": {
        "en": "--param {name}: {label} has no parameter {name!r} (parameters: {known})",
        "zh-tw": "--param {name}：{label} 沒有參數 {name!r}（參數：{known}）",
        "zh-cn": "--param {name}：{label} 没有参数 {name!r}（参数：{known}）",
    },
    "opt_param_indicator_field": {
        "en": "--param {path}: name a field of indicator {path!r}, e.g. {path}.period",
        "zh-tw": "--param {path}：請指定指標 {path!r} 的欄位，例如 {path}.period",
        "zh-cn": "--param {path}：请指定指标 {path!r} 的字段，例如 {path}.period",
    },
    "opt_param_no_field": {
        "en": "--param {path}: {where} has no field {part!r}{unset} (indicator ids: {ids})",
        "zh-tw": "--param {path}：{where} 沒有欄位 {part!r}{unset}（指標 id：{ids}）",
        "zh-cn": "--param {path}：{where} 没有字段 {part!r}{unset}（指标 id：{ids}）",
    },
    "opt_the_spec": {"en": "the spec", "zh-tw": "規格", "zh-cn": "规格"},
    "opt_not_set": {"en": " (it is not set in the spec)", "zh-tw": "（規格中未設定）", "zh-cn": "（规格中未设定）"},
    "opt_param_empty_path": {
        "en": "--param {path}: empty path",
        "zh-tw": "--param {path}：路徑是空的",
        "zh-cn": "--param {path}：路径是空的",
    },
    "opt_target_type": {
        "en": "TARGET: expected a built-in name, a file, a text strategy or a MAS subclass, got {value!r}",
        "zh-tw": "TARGET：應為內建策略名稱、檔案、文字策略或 MAS 子類別，收到 {value!r}",
        "zh-cn": "TARGET：应为内置策略名称、文件、文本策略或 MAS 子类，收到 {value!r}",
    },
    "opt_target_no_file": {
        "en": "TARGET: {path}: no such file",
        "zh-tw": "TARGET：{path}：檔案不存在",
        "zh-cn": "TARGET：{path}：文件不存在",
    },
    "opt_target_unreadable": {
        "en": "TARGET: {target!r} is neither a built-in strategy ({builtins}), a .py file, a spec .json file nor a "
              "strategy text the parser reads: {reason}",
        "zh-tw": "TARGET：{target!r} 不是內建策略（{builtins}）、.py 檔案、規格 .json 檔案，"
                 "也不是解析器能讀懂的策略文字：{reason}",
        "zh-cn": "TARGET：{target!r} 不是内置策略（{builtins}）、.py 文件、规格 .json 文件，"
                 "也不是解析器能读懂的策略文本：{reason}",
    },
    "opt_method_unknown": {
        "en": "--method: {value!r} is not a search method; choose one of {valid}",
        "zh-tw": "--method：{value!r} 不是搜尋方法；請從 {valid} 中選擇",
        "zh-cn": "--method：{value!r} 不是搜索方法；请从 {valid} 中选择",
    },
    "opt_trials_grid": {
        "en": "--trials: a grid runs every combination; --trials applies to random and optuna",
        "zh-tw": "--trials：grid 會執行所有組合；--trials 只適用於 random 與 optuna",
        "zh-cn": "--trials：grid 会运行所有组合；--trials 只适用于 random 与 optuna",
    },
    "opt_expected_one_or_more": {
        "en": "{option}: expected 1 or more, got {value}",
        "zh-tw": "{option}：應為 1 或以上，收到 {value}",
        "zh-cn": "{option}：应为 1 或以上，收到 {value}",
    },
    "opt_must_be_one_or_more": {
        "en": "{option}: must be 1 or more, got {value}",
        "zh-tw": "{option}：必須是 1 或以上，收到 {value}",
        "zh-cn": "{option}：必须是 1 或以上，收到 {value}",
    },
    "opt_needs_optuna": {
        "en": "--method optuna needs Optuna: pip install 'mas-sdk[optuna]'",
        "zh-tw": "--method optuna 需要 Optuna：pip install 'mas-sdk[optuna]'",
        "zh-cn": "--method optuna 需要 Optuna：pip install 'mas-sdk[optuna]'",
    },
    "opt_needs_dask": {
        "en": "--cluster needs Dask: pip install 'mas-sdk[dask]'",
        "zh-tw": "--cluster 需要 Dask：pip install 'mas-sdk[dask]'",
        "zh-cn": "--cluster 需要 Dask：pip install 'mas-sdk[dask]'",
    },
    "opt_cluster_local": {
        "en": "--cluster {value!r}: expected local:N with N >= 1 workers, or tcp://HOST:PORT",
        "zh-tw": "--cluster {value!r}：應為 local:N（N >= 1 個工作程序）或 tcp://HOST:PORT",
        "zh-cn": "--cluster {value!r}：应为 local:N（N >= 1 个工作进程）或 tcp://HOST:PORT",
    },
    "opt_cluster_address": {
        "en": "--cluster {value!r}: expected local:N or a scheduler address such as tcp://10.0.0.5:8786",
        "zh-tw": "--cluster {value!r}：應為 local:N 或排程器位址，例如 tcp://10.0.0.5:8786",
        "zh-cn": "--cluster {value!r}：应为 local:N 或调度器地址，例如 tcp://10.0.0.5:8786",
    },
    "opt_metric_choose": {
        "en": "--metric: {value!r} is not a metric; choose one of {valid}",
        "zh-tw": "--metric：{value!r} 不是績效指標；請從 {valid} 中選擇",
        "zh-cn": "--metric：{value!r} 不是绩效指标；请从 {valid} 中选择",
    },
    "opt_self_contained": {
        "en": "--self-contained applies to the HTML report: give --report-dir too",
        "zh-tw": "--self-contained 用於 HTML 報告：請一併提供 --report-dir",
        "zh-cn": "--self-contained 用于 HTML 报告：请同时提供 --report-dir",
    },
    "wf_length_bad": {
        "en": "walk-forward length {value!r}: expected a positive count and a unit: N H (hours), N D (days), "
              "N W (weeks), N M (months), N Y (years) or N bars, e.g. 180D or 2000bars",
        "zh-tw": "前進分析長度 {value!r}：應為正整數加單位：N H（小時）、N D（天）、N W（週）、N M（月）、N Y（年）"
                 "或 N bars（K線根數），例如 180D 或 2000bars",
        "zh-cn": "前进分析长度 {value!r}：应为正整数加单位：N H（小时）、N D（天）、N W（周）、N M（月）、N Y（年）"
                 "或 N bars（K线根数），例如 180D 或 2000bars",
    },
    "wf_too_short": {
        "en": "walk-forward: the data ({bars} bars) is too short for an in-sample window of {in_sample} followed by "
              "an out-of-sample window of {out_of_sample}",
        "zh-tw": "前進分析：資料（{bars} 根K線）太短，"
                 "容納不下 {in_sample} 的樣本內視窗加上其後 {out_of_sample} 的樣本外視窗",
        "zh-cn": "前进分析：数据（{bars} 根K线）太短，"
                 "容纳不下 {in_sample} 的样本内窗口加上其后 {out_of_sample} 的样本外窗口",
    },
    "wf_warmup_negative": {
        "en": "--wf-warmup-bars: expected 0 or more, got {value}",
        "zh-tw": "--wf-warmup-bars：應為 0 或以上，收到 {value}",
        "zh-cn": "--wf-warmup-bars：应为 0 或以上，收到 {value}",
    },
    # ------------------------------------------------------------------ backtests (plots, mas.cli, mas.app)
    "plot_name": {
        "en": "plot: name must be a non-empty text of at most {most} characters, got {value!r}",
        "zh-tw": "plot：name 必須是非空的文字，最多 {most} 個字元，收到 {value!r}",
        "zh-cn": "plot：name 必须是非空的文本，最多 {most} 个字符，收到 {value!r}",
    },
    "plot_panel": {
        "en": "plot: panel must be one of {valid}, got {value!r}",
        "zh-tw": "plot：panel 必須是 {valid} 其中之一，收到 {value!r}",
        "zh-cn": "plot：panel 必须是 {valid} 其中之一，收到 {value!r}",
    },
    "plot_value": {
        "en": "plot: the value of {name!r} must be a number (or None for a gap), got {value!r}",
        "zh-tw": "plot：{name!r} 的值必須是數字（或以 None 表示空缺），收到 {value!r}",
        "zh-cn": "plot：{name!r} 的值必须是数字（或以 None 表示空缺），收到 {value!r}",
    },
    "plot_which_symbol": {
        "en": "plot: this backtest replays {symbols}; say which symbol's chart {name!r} goes on (symbol=...)",
        "zh-tw": "plot：此回測重播 {symbols}；請指定 {name!r} 要畫在哪個商品的圖表上（symbol=...）",
        "zh-cn": "plot：此回测重播 {symbols}；请指定 {name!r} 要画在哪个品种的图表上（symbol=...）",
    },
    "plot_symbol_not_replayed": {
        "en": "plot: symbol {symbol!r} is not replayed in this backtest ({symbols})",
        "zh-tw": "plot：此回測沒有重播商品 {symbol!r}（{symbols}）",
        "zh-cn": "plot：此回测没有重播品种 {symbol!r}（{symbols}）",
    },
    "plot_one_panel": {
        "en": "plot: {name!r} is drawn in the {panel!r} panel; a series keeps one panel",
        "zh-tw": "plot：{name!r} 畫在 {panel!r} 面板；一個序列只能使用一個面板",
        "zh-cn": "plot：{name!r} 画在 {panel!r} 面板；一个序列只能使用一个面板",
    },
    "bt_llm_needs_text": {
        "en": "--llm: asks the LLM backend for the spec of a --text description; give --text",
        "zh-tw": "--llm：向 LLM 後端索取 --text 描述的規格；請提供 --text",
        "zh-cn": "--llm：向 LLM 后端获取 --text 描述的规格；请提供 --text",
    },
    "bt_self_contained": {
        "en": "--self-contained: writes the HTML reports as single files; give --report-dir too",
        "zh-tw": "--self-contained：將 HTML 報告寫成單一檔案；請一併提供 --report-dir",
        "zh-cn": "--self-contained：将 HTML 报告写成单个文件；请同时提供 --report-dir",
    },
    "bt_no_bars": {"en": "the backtest replayed no bars", "zh-tw": "回測沒有重播任何K線",
                   "zh-cn": "回测没有重播任何K线"},
    # ------------------------------------------------------------------ reports (mas.reports)
    "diagram_unit": {
        "en": "unknown diagram unit {value!r}: use one of {valid}",
        "zh-tw": "未知的圖表單位 {value!r}：請使用 {valid} 其中之一",
        "zh-cn": "未知的图表单位 {value!r}：请使用 {valid} 其中之一",
    },
    "kpi_no_result": {
        "en": "no backtest result: run a backtest before generating a KPI report",
        "zh-tw": "沒有回測結果：請先執行回測，再產生 KPI 報告",
        "zh-cn": "没有回测结果：请先运行回测，再生成 KPI 报告",
    },
    "kpi_no_equity": {
        "en": "the backtest result has no equity curve (no bars were replayed)",
        "zh-tw": "回測結果沒有淨值曲線（沒有重播任何K線）",
        "zh-cn": "回测结果没有净值曲线（没有重播任何K线）",
    },
    "summary_width": {
        "en": "width: expected 1 or more characters, got {value}",
        "zh-tw": "width：應為 1 個或以上的字元，收到 {value}",
        "zh-cn": "width：应为 1 个或以上的字符，收到 {value}",
    },
    "summary_chars": {
        "en": "chars: expected at least two levels, got {value!r}",
        "zh-tw": "chars：至少需要兩個層級，收到 {value!r}",
        "zh-cn": "chars：至少需要两个层级，收到 {value!r}",
    },
    "tester_margin_points": {
        "en": "margin has {margin} points but equity has {equity}: they must be one per bar",
        "zh-tw": "margin 有 {margin} 個點，但 equity 有 {equity} 個：兩者都必須每根K線一個",
        "zh-cn": "margin 有 {margin} 个点，但 equity 有 {equity} 个：两者都必须每根K线一个",
    },
    # ------------------------------------------------------------------ data store, import, download (mas.data)
    "data_symbol_invalid": {
        "en": "symbol: {value!r} is not a valid symbol name",
        "zh-tw": "symbol：{value!r} 不是有效的商品名稱",
        "zh-cn": "symbol：{value!r} 不是有效的品种名称",
    },
    "digits_range": {
        "en": "digits must be a whole number from 0 to {most}, not {value!r}",
        "zh-tw": "digits 必須是 0 到 {most} 的整數，而不是 {value!r}",
        "zh-cn": "digits 必须是 0 到 {most} 的整数，而不是 {value!r}",
    },
    "lock_timeout": {
        "en": "{target}: another process has been writing this file for over {timeout:g} s (lock {lock}); "
              "try again when it has finished",
        "zh-tw": "{target}：另一個程序寫入此檔案已超過 {timeout:g} 秒（鎖定檔 {lock}）；請等它完成後再試",
        "zh-cn": "{target}：另一个进程写入此文件已超过 {timeout:g} 秒（锁文件 {lock}）；请等它完成后再试",
    },
    "removal_not_stored": {
        "en": "No {symbol} {missing} are stored in {root}; stored for {symbol}: {stored}",
        "zh-tw": "{root} 中沒有儲存 {symbol} 的 {missing}；{symbol} 已儲存的有：{stored}",
        "zh-cn": "{root} 中没有存储 {symbol} 的 {missing}；{symbol} 已存储的有：{stored}",
    },
    "removal_tf_bars": {"en": "{timeframe} bars", "zh-tw": "{timeframe} K線", "zh-cn": "{timeframe} K线"},
    "removal_nothing": {
        "en": "Nothing is stored for {symbol} in {root}",
        "zh-tw": "{root} 中沒有儲存 {symbol} 的任何資料",
        "zh-cn": "{root} 中没有存储 {symbol} 的任何数据",
    },
    "removal_stored_symbols": {
        "en": " (stored symbols: {symbols}).",
        "zh-tw": "（已儲存的商品：{symbols}）。",
        "zh-cn": "（已存储的品种：{symbols}）。",
    },
    "removal_store_empty": {"en": " (the store is empty).", "zh-tw": "（資料儲存區是空的）。",
                            "zh-cn": "（数据存储区是空的）。"},
    "removal_bundled": {
        "en": " {symbol}'s bundled sample bars are part of the package and cannot be removed.",
        "zh-tw": "{symbol} 的內建範例K線是套件的一部分，無法移除。",
        "zh-cn": "{symbol} 的内置示例K线是软件包的一部分，无法删除。",
    },
    "resample_unsorted": {
        "en": "resample_rates needs bars sorted by time with unique times",
        "zh-tw": "resample_rates 需要依時間排序且時間不重複的K線",
        "zh-cn": "resample_rates 需要按时间排序且时间不重复的K线",
    },
    "ticks_unsorted": {
        "en": "ticks_to_m1 needs ticks sorted by time_msc",
        "zh-tw": "ticks_to_m1 需要依 time_msc 排序的逐筆報價",
        "zh-cn": "ticks_to_m1 需要按 time_msc 排序的逐笔报价",
    },
    "sample_header": {
        "en": "{path}: expected the header {header}",
        "zh-tw": "{path}：應有標頭 {header}",
        "zh-cn": "{path}：应有表头 {header}",
    },
    "sample_line": {
        "en": "{path}:{line}: expected 'DD.MM.YYYY HH:MM:SS.mmm,O,H,L,C,V'",
        "zh-tw": "{path}:{line}：格式應為 'DD.MM.YYYY HH:MM:SS.mmm,O,H,L,C,V'",
        "zh-cn": "{path}:{line}：格式应为 'DD.MM.YYYY HH:MM:SS.mmm,O,H,L,C,V'",
    },
    "sample_unordered": {
        "en": "{path}: times are not strictly increasing",
        "zh-tw": "{path}：時間不是嚴格遞增",
        "zh-cn": "{path}：时间不是严格递增",
    },
    "import_off_grid": {
        "en": "{path}: {count} of {total} bars are not on the {tf} grid (a {tf} bar opens at {grid}); {hint}, "
              "or pass --force to store them as {tf} anyway",
        "zh-tw": "{path}：{total} 根K線中有 {count} 根不在 {tf} 的時間格線上（{tf} K線的開盤時間為 {grid}）；{hint}，"
                 "或加上 --force 仍以 {tf} 儲存",
        "zh-cn": "{path}：{total} 根K线中有 {count} 根不在 {tf} 的时间网格上（{tf} K线的开盘时间为 {grid}）；{hint}，"
                 "或加上 --force 仍以 {tf} 存储",
    },
    "import_looks_like": {
        "en": "the data looks like {looks} bars: import it with --timeframe {looks}",
        "zh-tw": "資料看起來是 {looks} K線：請以 --timeframe {looks} 匯入",
        "zh-cn": "数据看起来是 {looks} K线：请以 --timeframe {looks} 导入",
    },
    "import_tf_unknown": {
        "en": "the data's timeframe could not be recognised: check the file and its --tz-offset",
        "zh-tw": "無法辨識資料的時間週期：請檢查檔案及其 --tz-offset",
        "zh-cn": "无法识别数据的时间周期：请检查文件及其 --tz-offset",
    },
    "grid_month": {
        "en": "00:00 UTC on the first day of a month",
        "zh-tw": "每月第一天的 00:00 UTC",
        "zh-cn": "每月第一天的 00:00 UTC",
    },
    "grid_monday": {"en": "00:00 UTC on a Monday", "zh-tw": "週一的 00:00 UTC", "zh-cn": "周一的 00:00 UTC"},
    "grid_hours": {
        "en": "a whole multiple of {hours} hour(s) from 00:00 UTC",
        "zh-tw": "從 00:00 UTC 起每 {hours} 小時的整數倍",
        "zh-cn": "从 00:00 UTC 起每 {hours} 小时的整数倍",
    },
    "grid_minutes": {
        "en": "a whole multiple of {minutes} minute(s) from 00:00 UTC",
        "zh-tw": "從 00:00 UTC 起每 {minutes} 分鐘的整數倍",
        "zh-cn": "从 00:00 UTC 起每 {minutes} 分钟的整数倍",
    },
    "tz_offset_range": {
        "en": "tz_offset_hours must be within +-{most}, not {value}",
        "zh-tw": "tz_offset_hours 必須在 +-{most} 以內，而不是 {value}",
        "zh-cn": "tz_offset_hours 必须在 +-{most} 以内，而不是 {value}",
    },
    "duka_hour": {
        "en": "{path}: hour {hour} in the file name is not 00 to 23",
        "zh-tw": "{path}：檔名中的小時 {hour} 不在 00 到 23 之間",
        "zh-cn": "{path}：文件名中的小时 {hour} 不在 00 到 23 之间",
    },
    "duka_not_name": {
        "en": "{path}: not a Dukascopy file name: expected BID_candles_min_1.bi5, ASK_candles_min_1.bi5 or "
              "HHh_ticks.bi5",
        "zh-tw": "{path}：不是 Dukascopy 的檔名：應為 BID_candles_min_1.bi5、ASK_candles_min_1.bi5 或 HHh_ticks.bi5",
        "zh-cn": "{path}：不是 Dukascopy 的文件名：应为 BID_candles_min_1.bi5、ASK_candles_min_1.bi5 或 HHh_ticks.bi5",
    },
    "duka_no_date": {
        "en": "{path}: cannot tell the file's date: it is not in Dukascopy's folder layout .../YYYY/MM/DD/{name} "
              "(months from 00); give the date (--date YYYY-MM-DD)",
        "zh-tw": "{path}：無法判斷檔案的日期：它不在 Dukascopy 的資料夾結構 .../YYYY/MM/DD/{name} 中"
                 "（月份從 00 起算）；請提供日期（--date YYYY-MM-DD）",
        "zh-cn": "{path}：无法判断文件的日期：它不在 Dukascopy 的文件夹结构 .../YYYY/MM/DD/{name} 中"
                 "（月份从 00 起算）；请提供日期（--date YYYY-MM-DD）",
    },
    "bi5_not_lzma": {
        "en": "{source}: not a Dukascopy .bi5 file (LZMA data expected: {reason})",
        "zh-tw": "{source}：不是 Dukascopy 的 .bi5 檔案（應為 LZMA 資料：{reason}）",
        "zh-cn": "{source}：不是 Dukascopy 的 .bi5 文件（应为 LZMA 数据：{reason}）",
    },
    "bi5_truncated": {
        "en": "{source}: {size} bytes after decompression is not a whole number of {record}-byte records "
              "(truncated, or not this kind of .bi5 file)",
        "zh-tw": "{source}：解壓縮後的 {size} 位元組不是 {record} 位元組記錄的整數倍"
                 "（檔案被截斷，或不是這種 .bi5 檔案）",
        "zh-cn": "{source}：解压缩后的 {size} 字节不是 {record} 字节记录的整数倍"
                 "（文件被截断，或不是这种 .bi5 文件）",
    },
    "dl_workers_min": {
        "en": "workers must be at least 1, not {value}",
        "zh-tw": "workers 至少須為 1，而不是 {value}",
        "zh-cn": "workers 至少须为 1，而不是 {value}",
    },
    "dl_to_before_from": {
        "en": "--to ({last}) is before --from ({first})",
        "zh-tw": "--to（{last}）早於 --from（{first}）",
        "zh-cn": "--to（{last}）早于 --from（{first}）",
    },
    "dl_terminal_failed": {
        "en": "{call} failed on the terminal ({code}: {text})",
        "zh-tw": "{call} 在終端上失敗（{code}：{text}）",
        "zh-cn": "{call} 在终端上失败（{code}：{text}）",
    },
    "fetch_failed": {
        "en": "{url}: {problem} (after {attempts} attempt(s))",
        "zh-tw": "{url}：{problem}（已嘗試 {attempts} 次）",
        "zh-cn": "{url}：{problem}（已尝试 {attempts} 次）",
    },
    # ------------------------------------------------------------------ the trade chart and the fast path
    "chart_no_result": {
        "en": "no backtest result: run a backtest before generating a trade chart",
        "zh-tw": "沒有回測結果：請先執行回測，再產生交易圖表",
        "zh-cn": "没有回测结果：请先运行回测，再生成交易图表",
    },
    "chart_nothing_to_draw": {
        "en": "the backtest result has neither bars nor an equity curve to chart",
        "zh-tw": "回測結果既沒有 K 棒也沒有淨值曲線可以繪製",
        "zh-cn": "回测结果既没有 K 线也没有净值曲线可以绘制",
    },
    "markers_lengths": {
        "en": "group_markers: t, kind, price and pnl must have one value per marker, "
              "got {t}, {kind}, {price} and {pnl}",
        "zh-tw": "group_markers：t、kind、price 與 pnl 必須每個標記各一個值，收到 {t}、{kind}、{price} 與 {pnl} 個",
        "zh-cn": "group_markers：t、kind、price 与 pnl 必须每个标记各一个值，收到 {t}、{kind}、{price} 与 {pnl} 个",
    },
    "markers_kind": {
        "en": "group_markers: kind must be 0 (buy), 1 (sell), 2 (exit won) or 3 (exit lost)",
        "zh-tw": "group_markers：kind 必須是 0（買進）、1（賣出）、2（獲利出場）或 3（虧損出場）",
        "zh-cn": "group_markers：kind 必须是 0（买入）、1（卖出）、2（盈利出场）或 3（亏损出场）",
    },
    "fast_cannot_convert": {
        "en": "the fast path cannot convert {symbol}'s amounts: {why} (see market_limitation)",
        "zh-tw": "快速路徑無法換算 {symbol} 的金額：{why}（見 market_limitation）",
        "zh-cn": "快速路径无法换算 {symbol} 的金额：{why}（见 market_limitation）",
    },
    "fast_no_bars_between": {
        "en": "no {symbols} bars between {first} and {last}",
        "zh-tw": "{first} 至 {last} 之間沒有 {symbols} 的 K 棒",
        "zh-cn": "{first} 至 {last} 之间没有 {symbols} 的 K 线",
    },
    "fast_times_unsorted": {
        "en": "the fast path's bar times must be sorted",
        "zh-tw": "快速路徑的 K 棒時間必須依序排列",
        "zh-cn": "快速路径的 K 线时间必须按顺序排列",
    },
    # ------------------------------------------------------------------ the store, tick modes, the account's margin
    "store_start_after_end": {
        "en": "start {start} is after end {end}",
        "zh-tw": "開始 {start} 晚於結束 {end}",
        "zh-cn": "开始 {start} 晚于结束 {end}",
    },
    "store_refused": {
        "en": "refusing to store {symbol} {timeframe} bars: {problem}",
        "zh-tw": "拒絕儲存 {symbol} {timeframe} K 棒：{problem}",
        "zh-cn": "拒绝存储 {symbol} {timeframe} K 线：{problem}",
    },
    "store_price_side_clash": {
        "en": "{path} holds {held} prices; refusing to merge {given} prices into it "
              "(store them under another symbol name, or delete the file first)",
        "zh-tw": "{path} 存放的是 {held} 價格；拒絕把 {given} 價格合併進去（請以另一個商品名稱儲存，或先刪除該檔案）",
        "zh-cn": "{path} 存放的是 {held} 价格；拒绝把 {given} 价格合并进去（请以另一个品种名称存储，或先删除该文件）",
    },
    "store_merge_refused": {
        "en": "refusing to merge {symbol} {timeframe} bars into {path}: after the merge, {problem}",
        "zh-tw": "拒絕把 {symbol} {timeframe} K 棒合併到 {path}：合併後 {problem}",
        "zh-cn": "拒绝把 {symbol} {timeframe} K 线合并到 {path}：合并后 {problem}",
    },
    "rates_price_side": {
        "en": "price_side must be one of {valid}, not {value!r}",
        "zh-tw": "price_side 必須是 {valid} 其中之一，而不是 {value!r}",
        "zh-cn": "price_side 必须是 {valid} 其中之一，而不是 {value!r}",
    },
    "tick_mode_unknown": {
        "en": "mode: {value!r} is not a tick mode; use 'all' or 'trade'",
        "zh-tw": "mode：{value!r} 不是 tick 模式；請使用 'all' 或 'trade'",
        "zh-cn": "mode：{value!r} 不是 tick 模式；请使用 'all' 或 'trade'",
    },
    "tick_mode_trade_without_trades": {
        "en": "mode: 'trade' delivers ticks with trades (last price or volume), and these ticks carry bid/ask quotes "
              "only (as forex quotes do); use mode 'all'",
        "zh-tw": "mode：'trade' 只傳送有成交（最新價或成交量）的 tick，而這些 tick 只有買賣報價（外匯報價即是如此）；"
                 "請使用 mode 'all'",
        "zh-cn": "mode：'trade' 只传送有成交（最新价或成交量）的 tick，而这些 tick 只有买卖报价（外汇报价即是如此）；"
                 "请使用 mode 'all'",
    },
    "calc_mode_unsupported": {
        "en": "{symbol}: calculation mode {mode} is not supported by the simulated account",
        "zh-tw": "{symbol}：模擬帳戶不支援計算模式 {mode}",
        "zh-cn": "{symbol}：模拟账户不支持计算模式 {mode}",
    },
}
