"""Error message catalog of strategies: spec files, indicators, the compiler, the exporter and the LLM reader
(mas.strategy); the text parser's are in :mod:`mas.i18n.errors_parser`: key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated. The ``spec_pyd_``
texts are pydantic's messages (their English is pydantic's own, word for word).
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ ind
    'ind_whole_number': {
        'en': '{name}: must be a whole number >= {minimum}, got {value!r}',
        'zh-tw': '{name}：必須是大於或等於 {minimum} 的整數，收到 {value!r}',
        'zh-cn': '{name}：必须是大于或等于 {minimum} 的整数，收到 {value!r}',
    },
    'ind_finite_number': {
        'en': '{name}: must be a finite number in {bounds}, got {value!r}',
        'zh-tw': '{name}：必須是 {bounds} 範圍內的有限數字，收到 {value!r}',
        'zh-cn': '{name}：必须是 {bounds} 范围内的有限数字，收到 {value!r}',
    },
    'ind_fast_below_slow': {
        'en': 'fast: must be smaller than slow ({slow}), got {fast!r}',
        'zh-tw': 'fast：必須小於 slow（{slow}），收到 {fast!r}',
        'zh-cn': 'fast：必须小于 slow（{slow}），收到 {fast!r}',
    },
    'ind_one_dimensional': {
        'en': '{name}: must be one-dimensional, got shape {shape}',
        'zh-tw': '{name}：必須是一維陣列，收到形狀 {shape}',
        'zh-cn': '{name}：必须是一维数组，收到形状 {shape}',
    },
    'ind_lengths_differ': {
        'en': 'high, low, close: must have one length, got {high}, {low}, {close}',
        'zh-tw': 'high、low、close：長度必須相同，收到 {high}、{low}、{close}',
        'zh-cn': 'high、low、close：长度必须相同，收到 {high}、{low}、{close}',
    },
    # ------------------------------------------------------------------ llm
    'llm_max_repairs': {
        'en': 'max_repairs: expected 0 to 10 repair rounds, got {value}',
        'zh-tw': 'max_repairs：修正回合數應為 0 到 10，收到 {value}',
        'zh-cn': 'max_repairs：修正回合数应为 0 到 10，收到 {value}',
    },
    'llm_timeout_value': {
        'en': 'timeout: expected a positive number of seconds, got {value}',
        'zh-tw': 'timeout：應為正數秒數，收到 {value}',
        'zh-cn': 'timeout：应为正数秒数，收到 {value}',
    },
    'llm_url_credentials': {
        'en': 'base_url: {url!r} carries credentials (user:password@); put the key in MAS_LLM_API_KEY instead',
        'zh-tw': 'base_url：{url!r} 含有帳號密碼（user:password@）；請改把金鑰放在 MAS_LLM_API_KEY',
        'zh-cn': 'base_url：{url!r} 含有账号密码（user:password@）；请改把密钥放在 MAS_LLM_API_KEY',
    },
    'llm_not_configured': {
        'en': 'the LLM backend needs MAS_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) and MAS_LLM_MODEL; '
              'MAS_LLM_API_KEY if the endpoint wants one',
        'zh-tw': 'LLM 後端需要設定 MAS_LLM_BASE_URL（例如 Ollama 用 http://localhost:11434/v1）與 MAS_LLM_MODEL；'
                 '端點需要金鑰時另設 MAS_LLM_API_KEY',
        'zh-cn': 'LLM 后端需要设置 MAS_LLM_BASE_URL（例如 Ollama 用 http://localhost:11434/v1）与 MAS_LLM_MODEL；'
                 '端点需要密钥时另设 MAS_LLM_API_KEY',
    },
    'llm_url_not_http': {
        'en': 'MAS_LLM_BASE_URL: expected an http(s) URL, got {url!r}',
        'zh-tw': 'MAS_LLM_BASE_URL：應為 http(s) 網址，收到 {url!r}',
        'zh-cn': 'MAS_LLM_BASE_URL：应为 http(s) 网址，收到 {url!r}',
    },
    'llm_timeout_env': {
        'en': 'MAS_LLM_TIMEOUT: expected seconds, e.g. 60, got {value!r}',
        'zh-tw': 'MAS_LLM_TIMEOUT：應為秒數，例如 60，收到 {value!r}',
        'zh-cn': 'MAS_LLM_TIMEOUT：应为秒数，例如 60，收到 {value!r}',
    },
    'llm_timed_out': {
        'en': 'the LLM endpoint {where} did not answer within {seconds} s (raise MAS_LLM_TIMEOUT for a slow model)',
        'zh-tw': 'LLM 端點 {where} 在 {seconds} 秒內沒有回應（模型較慢時請調高 MAS_LLM_TIMEOUT）',
        'zh-cn': 'LLM 端点 {where} 在 {seconds} 秒内没有回应（模型较慢时请调高 MAS_LLM_TIMEOUT）',
    },
    'llm_unreachable': {
        'en': 'could not reach the LLM endpoint {where}: {reason} (is the server running? check MAS_LLM_BASE_URL)',
        'zh-tw': '無法連線到 LLM 端點 {where}：{reason}（伺服器是否正在執行？請檢查 MAS_LLM_BASE_URL）',
        'zh-cn': '无法连接到 LLM 端点 {where}：{reason}（服务器是否正在运行？请检查 MAS_LLM_BASE_URL）',
    },
    'llm_unreachable_os': {
        'en': 'could not reach the LLM endpoint {where}: {reason}',
        'zh-tw': '無法連線到 LLM 端點 {where}：{reason}',
        'zh-cn': '无法连接到 LLM 端点 {where}：{reason}',
    },
    'llm_answer_too_large': {
        'en': 'the LLM answer is larger than {megabytes} MB; refused unread',
        'zh-tw': 'LLM 的回答超過 {megabytes} MB；未讀取即拒絕',
        'zh-cn': 'LLM 的回答超过 {megabytes} MB；未读取即拒绝',
    },
    'llm_not_json': {
        'en': 'the LLM endpoint {where} did not answer with JSON (is it an OpenAI-compatible /v1 URL?); it answered: '
              '{start!r}',
        'zh-tw': 'LLM 端點 {where} 的回答不是 JSON（它是 OpenAI 相容的 /v1 網址嗎？）；回答內容：{start!r}',
        'zh-cn': 'LLM 端点 {where} 的回答不是 JSON（它是 OpenAI 兼容的 /v1 网址吗？）；回答内容：{start!r}',
    },
    'llm_not_completion': {
        'en': 'the LLM endpoint {where} answered JSON that is not a chat completion',
        'zh-tw': 'LLM 端點 {where} 回答的 JSON 不是 chat completion 格式',
        'zh-cn': 'LLM 端点 {where} 回答的 JSON 不是 chat completion 格式',
    },
    'llm_no_content': {
        'en': 'the LLM answer has no choices[0].message.content',
        'zh-tw': 'LLM 的回答中沒有 choices[0].message.content',
        'zh-cn': 'LLM 的回答中没有 choices[0].message.content',
    },
    'llm_content_not_text': {
        'en': "the LLM answer's content is not text",
        'zh-tw': 'LLM 回答的內容不是文字',
        'zh-cn': 'LLM 回答的内容不是文字',
    },
    'llm_answer_empty': {
        'en': 'the answer is empty; expected one JSON object',
        'zh-tw': '回答是空的；應為一個 JSON 物件',
        'zh-cn': '回答是空的；应为一个 JSON 对象',
    },
    'llm_answer_not_json': {
        'en': 'the answer is not JSON ({reason} at line {line} column {column})',
        'zh-tw': '回答不是 JSON（第 {line} 行第 {column} 欄：{reason}）',
        'zh-cn': '回答不是 JSON（第 {line} 行第 {column} 栏：{reason}）',
    },
    'llm_answer_invalid_json': {
        'en': 'the answer is not valid JSON ({reason} at line {line} column {column})',
        'zh-tw': '回答不是有效的 JSON（第 {line} 行第 {column} 欄：{reason}）',
        'zh-cn': '回答不是有效的 JSON（第 {line} 行第 {column} 栏：{reason}）',
    },
    'llm_answer_not_object': {
        'en': 'the answer is a JSON {kind}; expected one JSON object (a spec)',
        'zh-tw': '回答是 JSON {kind}；應為一個 JSON 物件（策略規格）',
        'zh-cn': '回答是 JSON {kind}；应为一个 JSON 对象（策略规格）',
    },
    'llm_hint_key': {
        'en': ' (check MAS_LLM_API_KEY)',
        'zh-tw': '（請檢查 MAS_LLM_API_KEY）',
        'zh-cn': '（请检查 MAS_LLM_API_KEY）',
    },
    'llm_hint_url': {
        'en': ' (check MAS_LLM_BASE_URL, usually ending in /v1, and MAS_LLM_MODEL)',
        'zh-tw': '（請檢查 MAS_LLM_BASE_URL（通常以 /v1 結尾）與 MAS_LLM_MODEL）',
        'zh-cn': '（请检查 MAS_LLM_BASE_URL（通常以 /v1 结尾）与 MAS_LLM_MODEL）',
    },
    'llm_tried_formats': {
        'en': ' after trying response_format {modes}',
        'zh-tw': '（已嘗試 response_format {modes}）',
        'zh-cn': '（已尝试 response_format {modes}）',
    },
    'llm_http_error': {
        'en': 'the LLM endpoint answered HTTP {status}{tried}: {detail}{hint}',
        'zh-tw': 'LLM 端點回應 HTTP {status}{tried}：{detail}{hint}',
        'zh-cn': 'LLM 端点返回 HTTP {status}{tried}：{detail}{hint}',
    },
    'llm_text_too_long': {
        'en': 'the text is too long for the LLM backend ({length} characters; at most {limit})',
        'zh-tw': '文字對 LLM 後端來說太長（{length} 個字元；最多 {limit} 個）',
        'zh-cn': '文字对 LLM 后端来说太长（{length} 个字符；最多 {limit} 个）',
    },
    'llm_no_valid_spec': {
        'en': 'the LLM proposed no valid spec in {answers} answers ({rounds} repair rounds); the last problem: '
              '{problem}',
        'zh-tw': 'LLM 在 {answers} 次回答中（{rounds} 個修正回合）都沒有提出有效的策略規格；最後的問題：{problem}',
        'zh-cn': 'LLM 在 {answers} 次回答中（{rounds} 个修正回合）都没有提出有效的策略规格；最后的问题：{problem}',
    },
    # ------------------------------------------------------------------ spec
    'spec_strategy_needs_spec': {
        'en': 'spec: a SpecStrategy needs a validated StrategySpec (see compile_spec)',
        'zh-tw': 'spec：SpecStrategy 需要一個已驗證的 StrategySpec（請見 compile_spec）',
        'zh-cn': 'spec：SpecStrategy 需要一个已验证的 StrategySpec（请见 compile_spec）',
    },
    'spec_toggle_bool': {
        'en': 'backtest_toggle: must be True or False, got {value!r}',
        'zh-tw': 'backtest_toggle：必須是 True 或 False，收到 {value!r}',
        'zh-cn': 'backtest_toggle：必须是 True 或 False，收到 {value!r}',
    },
    'spec_compile_needs_spec': {
        'en': 'spec: compile_spec needs a validated StrategySpec (see spec_from_dict)',
        'zh-tw': 'spec：compile_spec 需要一個已驗證的 StrategySpec（請見 spec_from_dict）',
        'zh-cn': 'spec：compile_spec 需要一个已验证的 StrategySpec（请见 spec_from_dict）',
    },
    'spec_builtin_unknown': {
        'en': 'name: {name!r} is not a built-in strategy ({names})',
        'zh-tw': 'name：{name!r} 不是內建策略（{names}）',
        'zh-cn': 'name：{name!r} 不是内置策略（{names}）',
    },
    'spec_export_needs_spec': {
        'en': 'spec: export_program needs a validated StrategySpec',
        'zh-tw': 'spec：export_program 需要一個已驗證的 StrategySpec',
        'zh-cn': 'spec：export_program 需要一个已验证的 StrategySpec',
    },
    'spec_export_profile_name': {
        'en': "profile: {profile!r} is not a broker profile name (letters, digits, '.', '_', '-')",
        'zh-tw': "profile：{profile!r} 不是券商設定檔名稱（只能用字母、數字、'.'、'_'、'-'）",
        'zh-cn': "profile：{profile!r} 不是券商配置名称（只能用字母、数字、'.'、'_'、'-'）",
    },
    'spec_export_plain_value': {
        'en': '{name}: {value!r} is not a plain symbol, timeframe or date',
        'zh-tw': '{name}：{value!r} 不是單純的商品代碼、時間週期或日期',
        'zh-cn': '{name}：{value!r} 不是单纯的品种代码、时间周期或日期',
    },
    'spec_export_param_value': {
        'en': 'params.{name}: a parameter is a name and a number, text or true/false',
        'zh-tw': 'params.{name}：參數必須是名稱加上數字、文字或 true/false',
        'zh-cn': 'params.{name}：参数必须是名称加上数字、文字或 true/false',
    },
    'spec_export_strategy_file': {
        'en': 'strategy: {strategy!r} is not a plain .py file name',
        'zh-tw': 'strategy：{strategy!r} 不是單純的 .py 檔名',
        'zh-cn': 'strategy：{strategy!r} 不是单纯的 .py 文件名',
    },
    'spec_invalid': {
        'en': 'invalid strategy spec: {problems}',
        'zh-tw': '策略規格無效：{problems}',
        'zh-cn': '策略规格无效：{problems}',
    },
    'spec_field': {
        'en': '{loc}: {message}',
        'zh-tw': '{loc}：{message}',
        'zh-cn': '{loc}：{message}',
    },
    'spec_field_below': {
        'en': '{loc}.{message}',
        'zh-tw': '{loc}.{message}',
        'zh-cn': '{loc}.{message}',
    },
    'spec_not_json': {
        'en': '{path}: not valid JSON ({reason})',
        'zh-tw': '{path}：不是有效的 JSON（{reason}）',
        'zh-cn': '{path}：不是有效的 JSON（{reason}）',
    },
    'spec_id_price_field': {
        'en': '{value!r} is a price field; pick another id',
        'zh-tw': '{value!r} 是價格欄位；請改用其他 id',
        'zh-cn': '{value!r} 是价格字段；请改用其他 id',
    },
    'spec_fast_below_slow': {
        'en': 'fast ({fast}) must be smaller than slow ({slow})',
        'zh-tw': 'fast（{fast}）必須小於 slow（{slow}）',
        'zh-cn': 'fast（{fast}）必须小于 slow（{slow}）',
    },
    'spec_term_times_zero': {
        'en': "a term multiplied by 0 is 0: drop the term or use 'plus'",
        'zh-tw': "乘以 0 的項等於 0：請刪除這一項或改用 'plus'",
        'zh-cn': "乘以 0 的项等于 0：请删除这一项或改用 'plus'",
    },
    'spec_not_an_operand': {
        'en': "{text!r} is not an operand: use a number, a price field ({fields}), an indicator id, 'id.output' or "
              "'id[bars back]'",
        'zh-tw': "{text!r} 不是運算元：請使用數字、價格欄位（{fields}）、指標 id、'id.output' 或 'id[往前K棒數]'",
        'zh-cn': "{text!r} 不是操作数：请使用数字、价格字段（{fields}）、指标 id、'id.output' 或 'id[往前K线数]'",
    },
    'spec_percent_below_100': {
        'en': 'value: a percent distance must be below 100, got {value}',
        'zh-tw': 'value：百分比距離必須小於 100，收到 {value}',
        'zh-cn': 'value：百分比距离必须小于 100，收到 {value}',
    },
    'spec_risk_needs_stop': {
        'en': 'risk_percent: sizing by % of equity at risk needs a stop_loss',
        'zh-tw': 'risk_percent：以淨值風險百分比計算部位大小需要設定 stop_loss（停損）',
        'zh-cn': 'risk_percent：以净值风险百分比计算持仓大小需要设置 stop_loss（止损）',
    },
    'spec_session_named': {
        'en': 'name: the {name} session is {start}-{end}; omit start/end or the name',
        'zh-tw': 'name：{name} 時段為 {start}-{end}；請省略 start/end 或 name',
        'zh-cn': 'name：{name} 时段为 {start}-{end}；请省略 start/end 或 name',
    },
    'spec_session_needs_times': {
        'en': "start/end: a session needs a name or both start and end ('HH:MM')",
        'zh-tw': "start/end：時段需要 name，或同時提供 start 與 end（'HH:MM'）",
        'zh-cn': "start/end：时段需要 name，或同时提供 start 与 end（'HH:MM'）",
    },
    'spec_session_empty': {
        'en': 'end: a session cannot start and end at the same time',
        'zh-tw': 'end：時段的開始與結束時間不能相同',
        'zh-cn': 'end：时段的开始与结束时间不能相同',
    },
    'spec_id_twice': {
        'en': 'indicators[{index}].id: {ident!r} is used twice',
        'zh-tw': 'indicators[{index}].id：{ident!r} 重複使用了兩次',
        'zh-cn': 'indicators[{index}].id：{ident!r} 重复使用了两次',
    },
    'spec_no_entry_rule': {
        'en': 'entry_long/entry_short: a strategy needs at least one entry rule',
        'zh-tw': 'entry_long/entry_short：策略至少需要一條進場規則',
        'zh-cn': 'entry_long/entry_short：策略至少需要一条进场规则',
    },
    'spec_exit_without_entry': {
        'en': 'exit_{side}: there is no entry_{side} rule whose positions it would exit',
        'zh-tw': 'exit_{side}：沒有對應的 entry_{side} 進場規則，這條出場規則無部位可平',
        'zh-cn': 'exit_{side}：没有对应的 entry_{side} 进场规则，这条出场规则无持仓可平',
    },
    'spec_path_reason': {
        'en': '{path}: {reason}',
        'zh-tw': '{path}：{reason}',
        'zh-cn': '{path}：{reason}',
    },
    'spec_price_field_output': {
        'en': '{path}: the price field {name!r} has no output {output!r}',
        'zh-tw': '{path}：價格欄位 {name!r} 沒有輸出 {output!r}',
        'zh-cn': '{path}：价格字段 {name!r} 没有输出 {output!r}',
    },
    'spec_none_defined': {
        'en': 'none defined',
        'zh-tw': '尚未定義任何指標',
        'zh-cn': '尚未定义任何指标',
    },
    'spec_no_such_indicator': {
        'en': '{path}: {operand!r} names no indicator (indicators: {known})',
        'zh-tw': '{path}：{operand!r} 不是任何指標（指標：{known}）',
        'zh-cn': '{path}：{operand!r} 不是任何指标（指标：{known}）',
    },
    'spec_single_value': {
        'en': 'none: it has a single value',
        'zh-tw': '沒有：它只有單一數值',
        'zh-cn': '没有：它只有单一数值',
    },
    'spec_no_such_output': {
        'en': '{path}: {kind} indicator {name!r} has no output {output!r} ({choices})',
        'zh-tw': '{path}：{kind} 指標 {name!r} 沒有輸出 {output!r}（{choices}）',
        'zh-cn': '{path}：{kind} 指标 {name!r} 没有输出 {output!r}（{choices}）',
    },
    'spec_pyd_greater_than_equal': {
        'en': 'Input should be greater than or equal to {ge}',
        'zh-tw': '輸入值應大於或等於 {ge}',
        'zh-cn': '输入值应大于或等于 {ge}',
    },
    'spec_pyd_greater_than': {
        'en': 'Input should be greater than {gt}',
        'zh-tw': '輸入值應大於 {gt}',
        'zh-cn': '输入值应大于 {gt}',
    },
    'spec_pyd_less_than_equal': {
        'en': 'Input should be less than or equal to {le}',
        'zh-tw': '輸入值應小於或等於 {le}',
        'zh-cn': '输入值应小于或等于 {le}',
    },
    'spec_pyd_less_than': {
        'en': 'Input should be less than {lt}',
        'zh-tw': '輸入值應小於 {lt}',
        'zh-cn': '输入值应小于 {lt}',
    },
    'spec_pyd_union_tag_invalid': {
        'en': "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: {expected_tags}",
        'zh-tw': "{discriminator} 的值 '{tag}' 不是可用的值：{expected_tags}",
        'zh-cn': "{discriminator} 的值 '{tag}' 不是可用的值：{expected_tags}",
    },
    'spec_pyd_union_tag_not_found': {
        'en': 'Unable to extract tag using discriminator {discriminator}',
        'zh-tw': '缺少 {discriminator} 欄位，無法判斷種類',
        'zh-cn': '缺少 {discriminator} 字段，无法判断种类',
    },
    'spec_pyd_literal_error': {
        'en': 'Input should be {expected}',
        'zh-tw': '輸入值應為 {expected}',
        'zh-cn': '输入值应为 {expected}',
    },
    'spec_pyd_int_parsing': {
        'en': 'Input should be a valid integer, unable to parse string as an integer',
        'zh-tw': '輸入值應為整數，無法把字串讀成整數',
        'zh-cn': '输入值应为整数，无法把字符串读成整数',
    },
    'spec_pyd_int_from_float': {
        'en': 'Input should be a valid integer, got a number with a fractional part',
        'zh-tw': '輸入值應為整數，收到帶小數的數字',
        'zh-cn': '输入值应为整数，收到带小数的数字',
    },
    'spec_pyd_int_type': {
        'en': 'Input should be a valid integer',
        'zh-tw': '輸入值應為整數',
        'zh-cn': '输入值应为整数',
    },
    'spec_pyd_float_parsing': {
        'en': 'Input should be a valid number, unable to parse string as a number',
        'zh-tw': '輸入值應為數字，無法把字串讀成數字',
        'zh-cn': '输入值应为数字，无法把字符串读成数字',
    },
    'spec_pyd_float_type': {
        'en': 'Input should be a valid number',
        'zh-tw': '輸入值應為數字',
        'zh-cn': '输入值应为数字',
    },
    'spec_pyd_finite_number': {
        'en': 'Input should be a finite number',
        'zh-tw': '輸入值應為有限的數字',
        'zh-cn': '输入值应为有限的数字',
    },
    'spec_pyd_string_type': {
        'en': 'Input should be a valid string',
        'zh-tw': '輸入值應為字串',
        'zh-cn': '输入值应为字符串',
    },
    'spec_pyd_string_pattern_mismatch': {
        'en': "String should match pattern '{pattern}'",
        'zh-tw': "字串應符合格式 '{pattern}'",
        'zh-cn': "字符串应符合格式 '{pattern}'",
    },
    'spec_pyd_string_too_long': {
        'en': 'String should have at most {max_length} characters',
        'zh-tw': '字串最多 {max_length} 個字元',
        'zh-cn': '字符串最多 {max_length} 个字符',
    },
    'spec_pyd_missing': {
        'en': 'Field required',
        'zh-tw': '缺少必填欄位',
        'zh-cn': '缺少必填字段',
    },
    'spec_pyd_extra_forbidden': {
        'en': 'Extra inputs are not permitted',
        'zh-tw': '不允許多餘的欄位',
        'zh-cn': '不允许多余的字段',
    },
    'spec_pyd_list_type': {
        'en': 'Input should be a valid list',
        'zh-tw': '輸入值應為列表',
        'zh-cn': '输入值应为列表',
    },
    'spec_pyd_dict_type': {
        'en': 'Input should be a valid dictionary',
        'zh-tw': '輸入值應為字典（物件）',
        'zh-cn': '输入值应为字典（对象）',
    },
    'spec_pyd_model_attributes_type': {
        'en': 'Input should be a valid dictionary or object to extract fields from',
        'zh-tw': '輸入值應為字典（物件），才能讀取其欄位',
        'zh-cn': '输入值应为字典（对象），才能读取其字段',
    },
    'spec_pyd_model_type': {
        'en': 'Input should be a valid dictionary or instance of {class_name}',
        'zh-tw': '輸入值應為字典（物件）或 {class_name} 實例',
        'zh-cn': '输入值应为字典（对象）或 {class_name} 实例',
    },
    'spec_pyd_bool_type': {
        'en': 'Input should be a valid boolean',
        'zh-tw': '輸入值應為布林值',
        'zh-cn': '输入值应为布尔值',
    },
    'spec_pyd_too_short': {
        'en': '{field_type} should have at least {min_length} items after validation, not {actual_length}',
        'zh-tw': '{field_type} 至少需要 {min_length} 項，目前為 {actual_length} 項',
        'zh-cn': '{field_type} 至少需要 {min_length} 项，目前为 {actual_length} 项',
    },
    'spec_pyd_too_short_one': {
        'en': '{field_type} should have at least {min_length} item after validation, not {actual_length}',
        'zh-tw': '{field_type} 至少需要 {min_length} 項，目前為 {actual_length} 項',
        'zh-cn': '{field_type} 至少需要 {min_length} 项，目前为 {actual_length} 项',
    },
    'spec_pyd_too_long': {
        'en': '{field_type} should have at most {max_length} items after validation, not {actual_length}',
        'zh-tw': '{field_type} 最多 {max_length} 項，目前為 {actual_length} 項',
        'zh-cn': '{field_type} 最多 {max_length} 项，目前为 {actual_length} 项',
    },
    'spec_pyd_too_long_one': {
        'en': '{field_type} should have at most {max_length} item after validation, not {actual_length}',
        'zh-tw': '{field_type} 最多 {max_length} 項，目前為 {actual_length} 項',
        'zh-cn': '{field_type} 最多 {max_length} 项，目前为 {actual_length} 项',
    },
    'spec_list_separator': {
        'en': '; ',
        'zh-tw': '；',
        'zh-cn': '；',
    },
}
