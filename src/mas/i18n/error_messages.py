"""Error message catalog: key -> {language: template} (``str.format`` fields, the same in every language).

The user's own input, numbers, names and commands are values or stay as written (``{value!r}``, ``--from``,
``mas data import ...``); only the sentence around them is translated.
"""

from __future__ import annotations

ERROR_MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ suggestions (mas.choices)
    "lang_unsupported": {
        "en": "lang: {lang!r} is not supported; use one of {valid}",
        "zh-tw": "lang：不支援 {lang!r}；請使用 {valid} 其中之一",
        "zh-cn": "lang：不支持 {lang!r}；请使用 {valid} 其中之一",
    },
    "suggest_close": {
        "en": "did you mean {close!r}? valid: {valid}",
        "zh-tw": "您是指 {close!r} 嗎？可用的值：{valid}",
        "zh-cn": "您是指 {close!r} 吗？可用的值：{valid}",
    },
    "suggest_valid": {"en": "valid: {valid}", "zh-tw": "可用的值：{valid}", "zh-cn": "可用的值：{valid}"},
    "sep_and": {"en": " and ", "zh-tw": " 與 ", "zh-cn": " 与 "},
    "sep_or": {"en": " or ", "zh-tw": " 或 ", "zh-cn": " 或 "},
    "suggest_none": {"en": "none is valid", "zh-tw": "沒有可用的值", "zh-cn": "没有可用的值"},
    "choice_invalid": {
        "en": "{field}: {value!r} is not valid; {hint}",
        "zh-tw": "{field}：{value!r} 無效；{hint}",
        "zh-cn": "{field}：{value!r} 无效；{hint}",
    },
    # ------------------------------------------------------------------ engines (mas.app.backtests)
    "engine_unknown": {
        "en": "engine: {value!r} is not an engine; use auto, event or fast",
        "zh-tw": "engine：{value!r} 不是回測引擎；請使用 auto、event 或 fast",
        "zh-cn": "engine：{value!r} 不是回测引擎；请使用 auto、event 或 fast",
    },
    "engine_fast_inexact": {
        "en": "engine fast: the fast path cannot replay this exactly ({why}); use engine auto or event",
        "zh-tw": "engine fast：快速路徑無法精確重播這個回測（{why}）；請使用 engine auto 或 event",
        "zh-cn": "engine fast：快速路径无法精确重播这个回测（{why}）；请使用 engine auto 或 event",
    },
    "engine_fast_python": {
        "en": "engine fast: the fast path runs spec strategies, text strategies and the built-ins; "
              "a strategy file (.py) runs on the event engine (engine event or auto)",
        "zh-tw": "engine fast：快速路徑只執行規格策略、文字策略與內建策略；"
                 "策略檔（.py）在事件引擎上執行（engine event 或 auto）",
        "zh-cn": "engine fast：快速路径只执行规格策略、文字策略与内置策略；"
                 "策略文件（.py）在事件引擎上执行（engine event 或 auto）",
    },
    "engine_fast_python_target": {
        "en": "engine fast: {label} is a Python strategy; only spec strategies and the built-ins have a fast path "
              "(use engine auto or event)",
        "zh-tw": "engine fast：{label} 是 Python 策略；只有規格策略與內建策略有快速路徑（請使用 engine auto 或 event）",
        "zh-cn": "engine fast：{label} 是 Python 策略；只有规格策略与内置策略有快速路径（请使用 engine auto 或 event）",
    },
    "engine_fast_unmodelled": {
        "en": "engine fast: the fast path does not model {limitation}; use engine auto or event",
        "zh-tw": "engine fast：快速路徑不模擬 {limitation}；請使用 engine auto 或 event",
        "zh-cn": "engine fast：快速路径不模拟 {limitation}；请使用 engine auto 或 event",
    },
    # ------------------------------------------------------------------ parameter values (mas.params)
    "value_not_date": {
        "en": "{field}: {value!r} is not a date; use a datetime or a string 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'",
        "zh-tw": "{field}：{value!r} 不是日期；請使用 datetime 或字串 'YYYY-MM-DD' 或 'YYYY-MM-DD HH:MM:SS'",
        "zh-cn": "{field}：{value!r} 不是日期；请使用 datetime 或字符串 'YYYY-MM-DD' 或 'YYYY-MM-DD HH:MM:SS'",
    },
    "number_missing": {
        "en": "{field}: missing; give a number",
        "zh-tw": "{field}：缺少此欄位；請提供數字",
        "zh-cn": "{field}：缺少此字段；请提供数字",
    },
    "number_expected": {
        "en": "{field}: expected a number such as 0.1 (or the string '0.1'), got {value!r}",
        "zh-tw": "{field}：應為數字，例如 0.1（或字串 '0.1'），收到 {value!r}",
        "zh-cn": "{field}：应为数字，例如 0.1（或字符串 '0.1'），收到 {value!r}",
    },
    "number_not_finite": {
        "en": "{field}: expected a finite number, got {value!r}",
        "zh-tw": "{field}：應為有限的數字，收到 {value!r}",
        "zh-cn": "{field}：应为有限的数字，收到 {value!r}",
    },
    "number_not_positive": {
        "en": "{field}: must be greater than 0, got {value!r}",
        "zh-tw": "{field}：必須大於 0，收到 {value!r}",
        "zh-cn": "{field}：必须大于 0，收到 {value!r}",
    },
    "number_below_minimum": {
        "en": "{field}: must be at least {minimum}, got {value!r}",
        "zh-tw": "{field}：至少須為 {minimum}，收到 {value!r}",
        "zh-cn": "{field}：至少须为 {minimum}，收到 {value!r}",
    },
    "whole_expected": {
        "en": "{field}: expected a whole number, got {value!r}",
        "zh-tw": "{field}：應為整數，收到 {value!r}",
        "zh-cn": "{field}：应为整数，收到 {value!r}",
    },
    "symbol_missing": {
        "en": "{field}: missing; give a symbol name such as 'EURUSD'",
        "zh-tw": "{field}：缺少此欄位；請提供商品名稱，例如 'EURUSD'",
        "zh-cn": "{field}：缺少此字段；请提供品种名称，例如 'EURUSD'",
    },
    "symbol_not_text": {
        "en": "{field}: expected a symbol name string, got {value!r}",
        "zh-tw": "{field}：應為商品名稱字串，收到 {value!r}",
        "zh-cn": "{field}：应为品种名称字符串，收到 {value!r}",
    },
    "symbol_list_empty": {
        "en": "symbol: the list is empty; give at least one symbol",
        "zh-tw": "symbol：清單是空的；請至少提供一個商品",
        "zh-cn": "symbol：列表为空；请至少提供一个品种",
    },
    "symbol_list_twice": {
        "en": "symbol: the list {value!r} names a symbol twice",
        "zh-tw": "symbol：清單 {value!r} 重複列出了同一個商品",
        "zh-cn": "symbol：列表 {value!r} 重复列出了同一个品种",
    },
    "order_type_missing": {
        "en": "order_type: missing; use one of {valid}",
        "zh-tw": "order_type：缺少此欄位；請使用 {valid} 其中之一",
        "zh-cn": "order_type：缺少此字段；请使用 {valid} 其中之一",
    },
    "order_type_invalid": {
        "en": "order_type: {value!r} is not an order type; use one of {valid}",
        "zh-tw": "order_type：{value!r} 不是訂單類型；請使用 {valid} 其中之一",
        "zh-cn": "order_type：{value!r} 不是订单类型；请使用 {valid} 其中之一",
    },
    "ticket_expected": {
        "en": "{field}: expected an order or position id (the string send_order returned), got {value!r}",
        "zh-tw": "{field}：應為訂單或部位編號（send_order 回傳的字串），收到 {value!r}",
        "zh-cn": "{field}：应为订单或持仓编号（send_order 返回的字符串），收到 {value!r}",
    },
    "ticket_not_positive": {
        "en": "{field}: expected a positive id, got {value!r}",
        "zh-tw": "{field}：編號必須為正數，收到 {value!r}",
        "zh-cn": "{field}：编号必须为正数，收到 {value!r}",
    },
    "toggle_missing": {
        "en": "backtest_toggle: missing; send_order needs True (backtest) or False (live)",
        "zh-tw": "backtest_toggle：缺少此欄位；send_order 需要 True（回測）或 False（實盤）",
        "zh-cn": "backtest_toggle：缺少此字段；send_order 需要 True（回测）或 False（实盘）",
    },
    "toggle_not_bool": {
        "en": "backtest_toggle: {call} needs True (backtest) or False (live), got {value!r} ({kind}); write the "
              "Python constant True or False, or bool(x) if you mean it",
        "zh-tw": "backtest_toggle：{call} 需要 True（回測）或 False（實盤），收到 {value!r}（{kind}）；"
                 "請寫 Python 常數 True 或 False，若確有此意請用 bool(x)",
        "zh-cn": "backtest_toggle：{call} 需要 True（回测）或 False（实盘），收到 {value!r}（{kind}）；"
                 "请写 Python 常量 True 或 False，若确有此意请用 bool(x)",
    },
    "field_misspelt": {
        "en": "{key}: unknown {call} field; did you mean {field!r}?{hint} (a misspelt field would be ignored)",
        "zh-tw": "{key}：{call} 沒有這個欄位；您是指 {field!r} 嗎？{hint}（拼錯的欄位會被忽略）",
        "zh-cn": "{key}：{call} 没有这个字段；您是指 {field!r} 吗？{hint}（拼错的字段会被忽略）",
    },
    "hint_sl_tp_prices": {
        "en": " (sl and tp are prices, not distances)",
        "zh-tw": "（sl 與 tp 是價格，不是距離）",
        "zh-cn": "（sl 与 tp 是价格，不是距离）",
    },
    "timeframe_invalid": {
        "en": "timeframe: {value!r} is not a MetaTrader 5 timeframe; use one of {valid}",
        "zh-tw": "timeframe：{value!r} 不是 MetaTrader 5 的時間週期；請使用 {valid} 其中之一",
        "zh-cn": "timeframe：{value!r} 不是 MetaTrader 5 的时间周期；请使用 {valid} 其中之一",
    },
    # ------------------------------------------------------------------ backtest settings (mas.sim.settings)
    "timeframe_missing": {
        "en": "timeframe: missing; give one of M1 ... MN1, e.g. 'H1'",
        "zh-tw": "timeframe：缺少此欄位；請提供 M1 ... MN1 其中之一，例如 'H1'",
        "zh-cn": "timeframe：缺少此字段；请提供 M1 ... MN1 其中之一，例如 'H1'",
    },
    "from_after_to": {
        "en": "from/to: 'from' ({start}) is after 'to' ({end})",
        "zh-tw": "from/to：'from'（{start}）晚於 'to'（{end}）",
        "zh-cn": "from/to：'from'（{start}）晚于 'to'（{end}）",
    },
    "model_invalid_bar": {
        "en": "model: {value!r} is not a model of bar backtests; use one of {valid}",
        "zh-tw": "model：{value!r} 不是K線回測的模式；請使用 {valid} 其中之一",
        "zh-cn": "model：{value!r} 不是K线回测的模式；请使用 {valid} 其中之一",
    },
    "model_invalid_tick": {
        "en": "model: {value!r} is not a model of tick backtests; use one of {valid}",
        "zh-tw": "model：{value!r} 不是逐筆報價回測的模式；請使用 {valid} 其中之一",
        "zh-cn": "model：{value!r} 不是逐笔报价回测的模式；请使用 {valid} 其中之一",
    },
    "overrides_not_dict": {
        "en": "symbol_overrides: expected a dict {{symbol: {{field: value}}}}",
        "zh-tw": "symbol_overrides：應為字典 {{symbol: {{field: value}}}}",
        "zh-cn": "symbol_overrides：应为字典 {{symbol: {{field: value}}}}",
    },
    "overrides_unknown_fields": {
        "en": "symbol_overrides for {symbol}: unknown field(s) {unknown}; known fields are {known}",
        "zh-tw": "{symbol} 的 symbol_overrides：未知的欄位 {unknown}；可用的欄位為 {known}",
        "zh-cn": "{symbol} 的 symbol_overrides：未知的字段 {unknown}；可用的字段为 {known}",
    },
    "symbol_unknown": {
        "en": "symbol: {name!r} is not a built-in symbol ({builtins}) nor in the symbols file; add it with "
              "'mas symbols add {key} --base ... --profit ... --digits ... --contract-size ...' or define it with "
              "symbol_overrides={{'{key}': {{...}}}} giving at least {required}",
        "zh-tw": "symbol：{name!r} 不是內建商品（{builtins}），也不在商品規格檔中；請以 "
                 "'mas symbols add {key} --base ... --profit ... --digits ... --contract-size ...' 新增，"
                 "或以 symbol_overrides={{'{key}': {{...}}}} 定義，至少提供 {required}",
        "zh-cn": "symbol：{name!r} 不是内置品种（{builtins}），也不在品种规格文件中；请以 "
                 "'mas symbols add {key} --base ... --profit ... --digits ... --contract-size ...' 新增，"
                 "或以 symbol_overrides={{'{key}': {{...}}}} 定义，至少提供 {required}",
    },
    "conversion_needs_price": {
        "en": "converting {source} to {target} needs the price of {needed} at this time, and no data for it is "
              "loaded; import its history (mas data import FILE --symbol {pair} --timeframe TF) so the backtest can "
              "convert P&L and margin into the account currency",
        "zh-tw": "將 {source} 換算為 {target} 需要此時 {needed} 的價格，但沒有載入其資料；請匯入其歷史資料"
                 "（mas data import FILE --symbol {pair} --timeframe TF），回測才能把損益與保證金換算為帳戶貨幣",
        "zh-cn": "将 {source} 换算为 {target} 需要此时 {needed} 的价格，但没有加载其数据；请导入其历史数据"
                 "（mas data import FILE --symbol {pair} --timeframe TF），回测才能把损益与保证金换算为账户货币",
    },
    "conversion_pairs": {
        "en": "{pair} or {reverse}", "zh-tw": "{pair} 或 {reverse}", "zh-cn": "{pair} 或 {reverse}",
    },
    "conversion_cross": {
        "en": "{direct} (or both {source_pairs} and {target_pairs})",
        "zh-tw": "{direct}（或同時有 {source_pairs} 與 {target_pairs}）",
        "zh-cn": "{direct}（或同时有 {source_pairs} 与 {target_pairs}）",
    },
    "capital_positive": {
        "en": "capital: must be a positive number of account currency, got {value!r}",
        "zh-tw": "capital：必須是以帳戶貨幣計的正數，收到 {value!r}",
        "zh-cn": "capital：必须是以账户货币计的正数，收到 {value!r}",
    },
    "leverage_whole": {
        "en": "leverage: must be a whole number >= 1 (e.g. 100 for 1:100), got {value!r}",
        "zh-tw": "leverage：必須是 >= 1 的整數（例如 100 代表 1:100），收到 {value!r}",
        "zh-cn": "leverage：必须是 >= 1 的整数（例如 100 代表 1:100），收到 {value!r}",
    },
    "margin_mode_invalid": {
        "en": "margin_mode: must be 'hedging' or 'netting', got {value!r}",
        "zh-tw": "margin_mode：必須是 'hedging' 或 'netting'，收到 {value!r}",
        "zh-cn": "margin_mode：必须是 'hedging' 或 'netting'，收到 {value!r}",
    },
    "currency_code": {
        "en": "currency: must be a 3-letter currency code such as 'USD', got {value!r}",
        "zh-tw": "currency：必須是 3 個字母的貨幣代碼，例如 'USD'，收到 {value!r}",
        "zh-cn": "currency：必须是 3 个字母的货币代码，例如 'USD'，收到 {value!r}",
    },
    "stop_out_range": {
        "en": "stop_out_level must be between 0 and margin_call_level (percent)",
        "zh-tw": "stop_out_level 必須介於 0 與 margin_call_level 之間（百分比）",
        "zh-cn": "stop_out_level 必须介于 0 与 margin_call_level 之间（百分比）",
    },
    "download_to_before_from": {
        "en": "--to {last} is before --from {first}",
        "zh-tw": "--to {last} 早於 --from {first}",
        "zh-cn": "--to {last} 早于 --from {first}",
    },
    "download_too_many_days": {
        "en": "{days} days is more than the {most} one download can fetch",
        "zh-tw": "{days} 天超過單次下載上限 {most} 天",
        "zh-cn": "{days} 天超过单次下载上限 {most} 天",
    },
    "download_failed": {
        "en": "could not download {path} from {url}: {reason}. Files fetched so far are cached; run the same command "
              "again to resume.",
        "zh-tw": "無法從 {url} 下載 {path}：{reason}。已下載的檔案已快取；再執行同一個指令即可續傳。",
        "zh-cn": "无法从 {url} 下载 {path}：{reason}。已下载的文件已缓存；再运行同一个命令即可续传。",
    },
    # ------------------------------------------------------------------ strategies (mas.strategy)
    "spec_file_missing": {
        "en": "{path}: no such spec file", "zh-tw": "{path}：找不到策略規格檔", "zh-cn": "{path}：找不到策略规格文件",
    },
    "target_not_module": {
        "en": "TARGET: {target} cannot be loaded as a Python module",
        "zh-tw": "TARGET：{target} 無法作為 Python 模組載入",
        "zh-cn": "TARGET：{target} 无法作为 Python 模块加载",
    },
    "target_one_class": {
        "en": "TARGET: {target} must define exactly one MAS subclass (found {names})",
        "zh-tw": "TARGET：{target} 必須恰好定義一個 MAS 子類別（找到：{names}）",
        "zh-cn": "TARGET：{target} 必须恰好定义一个 MAS 子类（找到：{names}）",
    },
    "none_found": {"en": "none", "zh-tw": "無", "zh-cn": "无"},
    "builtin_toggle_bool": {
        "en": "backtest_toggle: must be True or False, got {value!r}",
        "zh-tw": "backtest_toggle：必須是 True 或 False，收到 {value!r}",
        "zh-cn": "backtest_toggle：必须是 True 或 False，收到 {value!r}",
    },
    "oversold_below_overbought": {
        "en": "oversold: must be below overbought ({high:g}), got {value!r}",
        "zh-tw": "oversold：必須低於 overbought（{high:g}），收到 {value!r}",
        "zh-cn": "oversold：必须低于 overbought（{high:g}），收到 {value!r}",
    },
    "fast_below_slow": {
        "en": "fast: must be smaller than slow ({slow}), got {value!r}",
        "zh-tw": "fast：必須小於 slow（{slow}），收到 {value!r}",
        "zh-cn": "fast：必须小于 slow（{slow}），收到 {value!r}",
    },
    # ------------------------------------------------------------------ the MAS facade's calls (mas.client)
    "sltp_missing": {
        "en": "sl/tp: modify_position_sltp needs sl, tp or both",
        "zh-tw": "sl/tp：modify_position_sltp 需要 sl、tp 或兩者",
        "zh-cn": "sl/tp：modify_position_sltp 需要 sl、tp 或两者",
    },
    "action_buy_sell": {
        "en": "action: expected 'buy' or 'sell', got {value!r}",
        "zh-tw": "action：應為 'buy' 或 'sell'，收到 {value!r}",
        "zh-cn": "action：应为 'buy' 或 'sell'，收到 {value!r}",
    },
    "start_date_d1_only": {
        "en": "timeframe: get_start_date supports only 'D1', got {value!r}",
        "zh-tw": "timeframe：get_start_date 只支援 'D1'，收到 {value!r}",
        "zh-cn": "timeframe：get_start_date 只支持 'D1'，收到 {value!r}",
    },
    "kbar_num_whole": {
        "en": "kbar_num: expected a whole number >= 0, got {value!r}",
        "zh-tw": "kbar_num：應為 >= 0 的整數，收到 {value!r}",
        "zh-cn": "kbar_num：应为 >= 0 的整数，收到 {value!r}",
    },
    # ------------------------------------------------------------------ data (mas.data)
    "range_all": {"en": "at all", "zh-tw": "（任何時間）", "zh-cn": "（任何时间）"},
    "range_from": {"en": "from {start} UTC on", "zh-tw": "（自 {start} UTC 起）", "zh-cn": "（自 {start} UTC 起）"},
    "range_to": {"en": "up to {end} UTC", "zh-tw": "（至 {end} UTC 為止）", "zh-cn": "（至 {end} UTC 为止）"},
    "range_between": {
        "en": "between {start} and {end} UTC",
        "zh-tw": "（{start} 至 {end} UTC）",
        "zh-cn": "（{start} 至 {end} UTC）",
    },
    "missing_head": {
        "en": "No {symbol} {timeframe} bars {span}.",
        "zh-tw": "沒有 {symbol} {timeframe} K線{span}。",
        "zh-cn": "没有 {symbol} {timeframe} K线{span}。",
    },
    "missing_ticks_head": {
        "en": "No {symbol} ticks {span}.",
        "zh-tw": "沒有 {symbol} 逐筆報價{span}。",
        "zh-cn": "没有 {symbol} 逐笔报价{span}。",
    },
    "missing_ticks_stored": {
        "en": "Ticks are stored for {days} day(s) from {first} to {last} ({folder}).",
        "zh-tw": "已儲存 {days} 天的逐筆報價，自 {first} 至 {last}（{folder}）。",
        "zh-cn": "已存储 {days} 天的逐笔报价，自 {first} 至 {last}（{folder}）。",
    },
    "missing_ticks_nothing": {
        "en": "No ticks are stored for {symbol} (tick folder: {folder}).",
        "zh-tw": "{symbol} 沒有已儲存的逐筆報價（逐筆報價資料夾：{folder}）。",
        "zh-cn": "{symbol} 没有已存储的逐笔报价（逐笔报价文件夹：{folder}）。",
    },
    "missing_ticks_howto": {
        "en": "To get ticks, download them from Dukascopy:\n  {download_command}\n"
              "or import a tick file (MT5 ticks export, HistData or Dukascopy tick file):\n  {import_command}",
        "zh-tw": "取得逐筆報價的方式：從 Dukascopy 下載：\n  {download_command}\n"
                 "或匯入逐筆報價檔（MT5 逐筆報價匯出檔、HistData 或 Dukascopy 逐筆報價檔）：\n  {import_command}",
        "zh-cn": "获取逐笔报价的方式：从 Dukascopy 下载：\n  {download_command}\n"
                 "或导入逐笔报价文件（MT5 逐笔报价导出文件、HistData 或 Dukascopy 逐笔报价文件）：\n  {import_command}",
    },
    "missing_stored_for": {"en": "Stored for {symbol}:", "zh-tw": "{symbol} 已儲存：", "zh-cn": "{symbol} 已存储："},
    "missing_stored_row": {
        "en": "  {timeframe:<4} {span}, {bars} bars ({origin})",
        "zh-tw": "  {timeframe:<4} {span}，{bars} 根K線（{origin}）",
        "zh-cn": "  {timeframe:<4} {span}，{bars} 根K线（{origin}）",
    },
    "missing_empty": {"en": "empty", "zh-tw": "空的", "zh-cn": "空的"},
    "bundled_sample": {"en": "bundled sample", "zh-tw": "內附範例資料", "zh-cn": "内置示例数据"},
    "missing_nothing": {
        "en": "Nothing is stored for {symbol} (data folder: {folder}).",
        "zh-tw": "{symbol} 沒有任何已儲存的資料（資料夾：{folder}）。",
        "zh-cn": "{symbol} 没有任何已存储的数据（文件夹：{folder}）。",
    },
    "missing_resample": {
        "en": "{timeframe} bars can also be resampled from {sources} bars.",
        "zh-tw": "{timeframe} K線也可由 {sources} K線重新取樣而得。",
        "zh-cn": "{timeframe} K线也可由 {sources} K线重新采样而得。",
    },
    "missing_howto": {
        "en": "To get data, export the bars from MetaTrader 5 (Symbols > Bars > Export Bars) and run:\n"
              "  {import_command}\n"
              "(an M1 export lets every timeframe be resampled from it), or download M1 bars from Dukascopy:\n"
              "  {download_command}\n"
              "or copy them from your broker's terminal (a backtest logged in with login() fetches them itself):\n"
              "  {terminal_command}",
        "zh-tw": "取得資料的方式：從 MetaTrader 5 匯出K線（商品 > K線 > 匯出K線）後執行：\n"
                 "  {import_command}\n"
                 "（匯出 M1 即可重新取樣出所有時間週期），或從 Dukascopy 下載 M1 K線：\n"
                 "  {download_command}\n"
                 "或從券商終端複製（以 login() 登入的回測會自行取得）：\n"
                 "  {terminal_command}",
        "zh-cn": "获取数据的方式：从 MetaTrader 5 导出K线（品种 > K线 > 导出K线）后运行：\n"
                 "  {import_command}\n"
                 "（导出 M1 即可重新采样出所有时间周期），或从 Dukascopy 下载 M1 K线：\n"
                 "  {download_command}\n"
                 "或从券商终端复制（以 login() 登录的回测会自行获取）：\n"
                 "  {terminal_command}",
    },
    "import_format_unknown": {
        "en": "{path}: cannot tell the file's format from its first line {line!r}; pass --format {formats} (csv needs "
              "--columns, e.g. time=Date,open=Open,high=High,low=Low,close=Close)",
        "zh-tw": "{path}：無法從第一行 {line!r} 判斷檔案格式；請指定 --format {formats}"
                 "（csv 需要 --columns，例如 time=Date,open=Open,high=High,low=Low,close=Close）",
        "zh-cn": "{path}：无法从第一行 {line!r} 判断文件格式；请指定 --format {formats}"
                 "（csv 需要 --columns，例如 time=Date,open=Open,high=High,low=Low,close=Close）",
    },
    "import_format_invalid": {
        "en": "format: {value!r} is not one of {valid}",
        "zh-tw": "format：{value!r} 不是 {valid} 其中之一",
        "zh-cn": "format：{value!r} 不是 {valid} 其中之一",
    },
    "import_mt5_needs_timeframe": {
        "en": "a timeframe is required to import MT5 bars (--timeframe M1 ... MN1)",
        "zh-tw": "匯入 MT5 K線需要指定時間週期（--timeframe M1 ... MN1）",
        "zh-cn": "导入 MT5 K线需要指定时间周期（--timeframe M1 ... MN1）",
    },
    "import_needs_timeframe": {
        "en": "a timeframe is required to import bars (--timeframe M1 ... MN1)",
        "zh-tw": "匯入K線需要指定時間週期（--timeframe M1 ... MN1）",
        "zh-cn": "导入K线需要指定时间周期（--timeframe M1 ... MN1）",
    },
    "import_csv_needs_columns": {
        "en": "the csv format needs a column mapping (--columns time=Date,open=Open,...)",
        "zh-tw": "csv 格式需要欄位對應（--columns time=Date,open=Open,...）",
        "zh-cn": "csv 格式需要列对应（--columns time=Date,open=Open,...）",
    },
    "import_other_timeframe": {
        "en": "{path}: this {fmt} file holds {found} bars, not {given}; import it with --timeframe {found} (other "
              "timeframes are resampled from it when loaded)",
        "zh-tw": "{path}：此 {fmt} 檔案是 {found} K線，不是 {given}；請以 --timeframe {found} 匯入"
                 "（載入時會由它重新取樣出其他時間週期）",
        "zh-cn": "{path}：此 {fmt} 文件是 {found} K线，不是 {given}；请以 --timeframe {found} 导入"
                 "（加载时会由它重新采样出其他时间周期）",
    },
    "import_tick_file": {
        "en": "{path}: this is a tick file; it is stored as ticks and M1 bars built from them: leave out --timeframe "
              "or pass M1 ({timeframe} bars are resampled from M1 when loaded)",
        "zh-tw": "{path}：這是逐筆報價檔案，會儲存為逐筆報價及由其建立的 M1 K線：請省略 --timeframe 或指定 M1"
                 "（{timeframe} K線會在載入時由 M1 重新取樣）",
        "zh-cn": "{path}：这是逐笔报价文件，会存储为逐笔报价及由其建立的 M1 K线：请省略 --timeframe 或指定 M1"
                 "（{timeframe} K线会在加载时由 M1 重新采样）",
    },
    "columns_not_pair": {
        "en": "--columns: {item!r} is not field=column",
        "zh-tw": "--columns：{item!r} 不是 欄位=欄名 的格式",
        "zh-cn": "--columns：{item!r} 不是 字段=列名 的格式",
    },
    "columns_twice": {
        "en": "--columns: field {field!r} is given twice",
        "zh-tw": "--columns：欄位 {field!r} 重複出現",
        "zh-cn": "--columns：字段 {field!r} 重复出现",
    },
    "columns_unknown": {
        "en": "--columns: unknown field(s) {unknown}; known: {known}",
        "zh-tw": "--columns：未知的欄位 {unknown}；可用的欄位：{known}",
        "zh-cn": "--columns：未知的字段 {unknown}；可用的字段：{known}",
    },
    "columns_need_time": {
        "en": "--columns: the time field is required (time=COLUMN, and date=COLUMN if split)",
        "zh-tw": "--columns：必須提供 time 欄位（time=COLUMN；日期與時間分開時另加 date=COLUMN）",
        "zh-cn": "--columns：必须提供 time 字段（time=COLUMN；日期与时间分开时另加 date=COLUMN）",
    },
    "columns_volume_twice": {
        "en": "--columns: volume and tick_volume are the same field; give one",
        "zh-tw": "--columns：volume 與 tick_volume 是同一個欄位；請只提供一個",
        "zh-cn": "--columns：volume 与 tick_volume 是同一个字段；请只提供一个",
    },
    "columns_incomplete": {
        "en": "--columns: map time, open, high, low and close (and optionally volume, spread, real_volume) for bars, "
              "or time, bid and ask (and optionally volume) for ticks",
        "zh-tw": "--columns：K線請對應 time, open, high, low, close（可選 volume, spread, real_volume），"
                 "逐筆報價請對應 time, bid, ask（可選 volume）",
        "zh-cn": "--columns：K线请对应 time, open, high, low, close（可选 volume, spread, real_volume），"
                 "逐笔报价请对应 time, bid, ask（可选 volume）",
    },
    "corrupt_file": {
        "en": "{path}: {problem}; {remedy}",
        "zh-tw": "{path}：{problem}；{remedy}",
        "zh-cn": "{path}：{problem}；{remedy}",
    },
    "remedy_reimport": {
        "en": "remove the file and import or download the data again",
        "zh-tw": "請刪除此檔案，再重新匯入或下載資料",
        "zh-cn": "请删除此文件，再重新导入或下载数据",
    },
    "file_damaged": {
        "en": "the file is damaged ({reason})",
        "zh-tw": "檔案已損毀（{reason}）",
        "zh-cn": "文件已损坏（{reason}）",
    },
    "bars_problem": {
        "en": "{count} bar(s) {what} (first at {first} UTC)",
        "zh-tw": "{count} 根K線{what}（第一根於 {first} UTC）",
        "zh-cn": "{count} 根K线{what}（第一根于 {first} UTC）",
    },
    "bars_not_finite": {
        "en": "have a price that is not a finite positive number",
        "zh-tw": "有價格不是有限的正數",
        "zh-cn": "有价格不是有限的正数",
    },
    "bars_not_ordered": {
        "en": "break low <= open, close <= high",
        "zh-tw": "不符合 low <= open, close <= high",
        "zh-cn": "不符合 low <= open, close <= high",
    },
    "bars_not_later": {
        "en": "are not later than the bar before them",
        "zh-tw": "時間沒有晚於前一根K線",
        "zh-cn": "时间没有晚于前一根K线",
    },
    "bars_implausible": {
        "en": "are implausible: a price more than {factor:g} times away from the bar's reference price (median of the "
              "previous close, the open and the close) or an open that far from the previous close",
        "zh-tw": "不合理：有價格與該K線的參考價（前收盤價、開盤價與收盤價的中位數）相差超過 {factor:g} 倍，"
                 "或開盤價與前收盤價相差如此之多",
        "zh-cn": "不合理：有价格与该K线的参考价（前收盘价、开盘价与收盘价的中位数）相差超过 {factor:g} 倍，"
                 "或开盘价与前收盘价相差如此之多",
    },
    # ------------------------------------------------------------------ currency conversion (mas.backtest.preflight)
    "conv_amount": {
        "en": "{symbol} ({parts})", "zh-tw": "{symbol}（{parts}）", "zh-cn": "{symbol}（{parts}）",
    },
    "conv_profit_in": {
        "en": "profit in {currency}", "zh-tw": "以 {currency} 計的損益", "zh-cn": "以 {currency} 计的损益",
    },
    "conv_margin_in": {
        "en": "margin in {currency}", "zh-tw": "以 {currency} 計的保證金", "zh-cn": "以 {currency} 计的保证金",
    },
    "conv_head": {
        "en": "currency: the account currency is {account}, and {amounts} cannot be converted into {account}: no data "
              "of a pair linking {missing} to {account} is replayed or stored.",
        "zh-tw": "currency：帳戶貨幣為 {account}，而 {amounts} 無法換算為 {account}：沒有重播或儲存任何連結 "
                 "{missing} 與 {account} 的貨幣對資料。",
        "zh-cn": "currency：账户货币为 {account}，而 {amounts} 无法换算为 {account}：没有回放或存储任何连接 "
                 "{missing} 与 {account} 的货币对数据。",
    },
    "conv_needs": {
        "en": "The backtest needs {names} bars {span}; get them with",
        "zh-tw": "回測需要 {names} 的K線{span}；取得方式：",
        "zh-cn": "回测需要 {names} 的K线{span}；获取方式：",
    },
    "conv_or_import": {
        "en": "or import a MetaTrader 5 export: {commands}.",
        "zh-tw": "或匯入 MetaTrader 5 的匯出檔：{commands}。",
        "zh-cn": "或导入 MetaTrader 5 的导出文件：{commands}。",
    },
    "conv_needs_pairs": {
        "en": "Converting needs bars of {pairs} {span} (or of both currencies' USD pairs), defined with "
              "symbol_overrides when not built in, and imported with mas data import FILE --symbol NAME "
              "--timeframe H1.",
        "zh-tw": "換算需要 {pairs} 的K線{span}（或兩種貨幣各自的 USD 貨幣對）；非內建商品請以 symbol_overrides 定義，"
                 "並以 mas data import FILE --symbol NAME --timeframe H1 匯入。",
        "zh-cn": "换算需要 {pairs} 的K线{span}（或两种货币各自的 USD 货币对）；非内置品种请以 symbol_overrides 定义，"
                 "并以 mas data import FILE --symbol NAME --timeframe H1 导入。",
    },
    "conv_usable": {
        "en": "Or run the backtest with an account currency the data allows: {usable} (--currency {first}, or "
              "\"currency\": \"{first}\" in subscribe_bars).",
        "zh-tw": "或改用資料可換算的帳戶貨幣執行回測：{usable}（--currency {first}，"
                 "或在 subscribe_bars 中設定 \"currency\": \"{first}\"）。",
        "zh-cn": "或改用数据可换算的账户货币运行回测：{usable}（--currency {first}，"
                 "或在 subscribe_bars 中设置 \"currency\": \"{first}\"）。",
    },
    # ------------------------------------------------------------------ the MAS facade's last_error()
    "call_failed": {"en": "{call}: {reason}", "zh-tw": "{call}：{reason}", "zh-cn": "{call}：{reason}"},
    "error_reason": {"en": "{reason}", "zh-tw": "{reason}", "zh-cn": "{reason}"},
    "login_failed": {"en": "login failed: {reason}", "zh-tw": "登入失敗：{reason}", "zh-cn": "登录失败：{reason}"},
    # ------------------------------------------------------------------ logins (mas.live.connect, mas broker test)
    "login_failed_cli": {
        "en": "{command}: login failed: {reason}{hint}",
        "zh-tw": "{command}：登入失敗：{reason}{hint}",
        "zh-cn": "{command}：登录失败：{reason}{hint}",
    },
    "hint_sim_running": {
        "en": " - is 'mas sim serve' running there?",
        "zh-tw": "（該處是否已執行 'mas sim serve'？）",
        "zh-cn": "（该处是否已运行 'mas sim serve'？）",
    },
    "hint_bridge_running": {
        "en": " - is the mt5linux bridge running there?",
        "zh-tw": "（該處是否已執行 mt5linux 橋接程式？）",
        "zh-cn": "（该处是否已运行 mt5linux 桥接程序？）",
    },
    "hint_mt5_extra": {
        "en": "; the MetaTrader5 terminal needs the MT5 extra: pip install 'mas-sdk[mt5]' on Windows, "
              "'mas-sdk[mt5linux]' elsewhere",
        "zh-tw": "；MetaTrader5 終端需要 MT5 擴充套件：Windows 上 pip install 'mas-sdk[mt5]'，"
                 "其他系統 'mas-sdk[mt5linux]'",
        "zh-cn": "；MetaTrader5 终端需要 MT5 扩展包：Windows 上 pip install 'mas-sdk[mt5]'，"
                 "其他系统 'mas-sdk[mt5linux]'",
    },
    "profile_unknown": {
        "en": "no profile {name!r}; {hint} (add one with 'mas broker add {name} --server ... --login ...')",
        "zh-tw": "沒有設定檔 {name!r}；{hint}（以 'mas broker add {name} --server ... --login ...' 新增）",
        "zh-cn": "没有配置 {name!r}；{hint}（以 'mas broker add {name} --server ... --login ...' 新增）",
    },
    "profile_no_password": {
        "en": "no password for profile {name}: set {env} or re-add the profile with --keyring",
        "zh-tw": "設定檔 {name} 沒有密碼：請設定 {env}，或以 --keyring 重新新增設定檔",
        "zh-cn": "配置 {name} 没有密码：请设置 {env}，或以 --keyring 重新新增配置",
    },
    "terminal_unknown": {
        "en": "terminal {spec!r} is unknown: use 'mt5', 'mt5linux://host:port', 'sim://host:port' or "
              "'sims://host:port' (TLS)",
        "zh-tw": "未知的終端 {spec!r}：請使用 'mt5'、'mt5linux://host:port'、'sim://host:port' 或 "
                 "'sims://host:port'（TLS）",
        "zh-cn": "未知的终端 {spec!r}：请使用 'mt5'、'mt5linux://host:port'、'sim://host:port' 或 "
                 "'sims://host:port'（TLS）",
    },
    "terminal_port_number": {
        "en": "terminal {spec!r}: the port must be a number",
        "zh-tw": "終端 {spec!r}：連接埠必須是數字",
        "zh-cn": "终端 {spec!r}：端口必须是数字",
    },
    "mt5_not_installed": {
        "en": "the MetaTrader5 package is not installed (it runs on Windows next to an MT5 terminal)",
        "zh-tw": "未安裝 MetaTrader5 套件（它在 Windows 上與 MT5 終端一起執行）",
        "zh-cn": "未安装 MetaTrader5 包（它在 Windows 上与 MT5 终端一起运行）",
    },
    "mt5linux_not_installed": {
        "en": "the mt5linux package is not installed: pip install 'mas-sdk[mt5linux]'",
        "zh-tw": "未安裝 mt5linux 套件：pip install 'mas-sdk[mt5linux]'",
        "zh-cn": "未安装 mt5linux 包：pip install 'mas-sdk[mt5linux]'",
    },
    "initialize_failed": {
        "en": "initialize failed ({code}: {text})",
        "zh-tw": "初始化失敗（{code}：{text}）",
        "zh-cn": "初始化失败（{code}：{text}）",
    },
    "connection_broke": {
        "en": "the connection to {target} broke during login ({kind})",
        "zh-tw": "登入期間與 {target} 的連線中斷（{kind}）",
        "zh-cn": "登录期间与 {target} 的连接中断（{kind}）",
    },
    "os_connection_refused": {
        "en": "[Errno {errno}] Connection refused",
        "zh-tw": "[Errno {errno}] 連線被拒絕",
        "zh-cn": "[Errno {errno}] 连接被拒绝",
    },
    "os_timed_out": {
        "en": "[Errno {errno}] Connection timed out",
        "zh-tw": "[Errno {errno}] 連線逾時",
        "zh-cn": "[Errno {errno}] 连接超时",
    },
    "os_connection_reset": {
        "en": "[Errno {errno}] Connection reset by peer",
        "zh-tw": "[Errno {errno}] 連線被對方重設",
        "zh-cn": "[Errno {errno}] 连接被对方重置",
    },
    "os_no_such_file": {
        "en": "[Errno {errno}] No such file or directory",
        "zh-tw": "[Errno {errno}] 找不到檔案或資料夾",
        "zh-cn": "[Errno {errno}] 找不到文件或目录",
    },
    "os_permission_denied": {
        "en": "[Errno {errno}] Permission denied",
        "zh-tw": "[Errno {errno}] 權限不足",
        "zh-cn": "[Errno {errno}] 权限不足",
    },
    "os_is_a_directory": {
        "en": "[Errno {errno}] Is a directory",
        "zh-tw": "[Errno {errno}] 這是資料夾",
        "zh-cn": "[Errno {errno}] 这是文件夹",
    },
    "sim_address_invalid": {
        "en": "{url!r} is not a sim server address: use sim://host:port or sims://host:port (TLS)",
        "zh-tw": "{url!r} 不是模擬伺服器位址：請使用 sim://host:port 或 sims://host:port（TLS）",
        "zh-cn": "{url!r} 不是模拟服务器地址：请使用 sim://host:port 或 sims://host:port（TLS）",
    },
    "sim_port_number": {
        "en": "{url!r}: the port must be a number",
        "zh-tw": "{url!r}：連接埠必須是數字",
        "zh-cn": "{url!r}：端口必须是数字",
    },
    "sim_port_range": {
        "en": "{url!r}: the port must be 1 to 65535",
        "zh-tw": "{url!r}：連接埠必須介於 1 到 65535",
        "zh-cn": "{url!r}：端口必须介于 1 到 65535",
    },
    "sim_ca_file": {
        "en": "cannot load the CA file {path} for {target} ({reason})",
        "zh-tw": "無法為 {target} 載入 CA 檔案 {path}（{reason}）",
        "zh-cn": "无法为 {target} 加载 CA 文件 {path}（{reason}）",
    },
    "sim_cert_failed": {
        "en": "the sim server at {target} failed certificate verification ({reason}); pass its CA file",
        "zh-tw": "位於 {target} 的模擬伺服器未通過憑證驗證（{reason}）；請提供其 CA 檔案",
        "zh-cn": "位于 {target} 的模拟服务器未通过证书验证（{reason}）；请提供其 CA 文件",
    },
    "sim_tls_failed": {
        "en": "the TLS handshake with {target} failed ({kind}): is the server started with --tls-cert/--tls-key?",
        "zh-tw": "與 {target} 的 TLS 交握失敗（{kind}）：伺服器是否以 --tls-cert/--tls-key 啟動？",
        "zh-cn": "与 {target} 的 TLS 握手失败（{kind}）：服务器是否以 --tls-cert/--tls-key 启动？",
    },
    "sim_connection_closed": {
        "en": "the connection to the sim server is closed",
        "zh-tw": "與模擬伺服器的連線已關閉",
        "zh-cn": "与模拟服务器的连接已关闭",
    },
    "sim_server_unreachable": {
        "en": "the sim server at {host}:{port} is unreachable",
        "zh-tw": "無法連線到位於 {host}:{port} 的模擬伺服器",
        "zh-cn": "无法连接到位于 {host}:{port} 的模拟服务器",
    },
    "sim_unreachable": {
        "en": "cannot reach the sim server at {target} ({reason})",
        "zh-tw": "無法連線到位於 {target} 的模擬伺服器（{reason}）",
        "zh-cn": "无法连接到位于 {target} 的模拟服务器（{reason}）",
    },
}
