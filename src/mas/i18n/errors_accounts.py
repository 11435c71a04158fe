"""Error message catalog of groups, live trading, the copier and the sim server (mas.groups, mas.live,
mas.cli.broker): key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated.
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ mas.groups.store
    "grp_name_invalid": {
        "en": "group name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)",
        "zh-tw": "群組名稱 {name!r}：請使用字母、數字、'.'、'_' 或 '-'（最多 64 個字元）",
        "zh-cn": "组名称 {name!r}：请使用字母、数字、'.'、'_' 或 '-'（最多 64 个字符）",
    },
    "grp_no_members": {
        "en": "group {name}: give at least one member (--members a,b,c)",
        "zh-tw": "群組 {name}：請至少指定一個成員（--members a,b,c）",
        "zh-cn": "组 {name}：请至少指定一个成员（--members a,b,c）",
    },
    "grp_member_twice": {
        "en": "group {name}: member {members} is listed twice",
        "zh-tw": "群組 {name}：成員 {members} 重複列出",
        "zh-cn": "组 {name}：成员 {members} 重复列出",
    },
    "grp_allocation_unknown": {
        "en": "group {name}: allocation {allocation!r} is unknown ({hint})",
        "zh-tw": "群組 {name}：未知的分配方式 {allocation!r}（{hint}）",
        "zh-cn": "组 {name}：未知的分配方式 {allocation!r}（{hint}）",
    },
    "grp_min_lot_rule": {
        "en": "group {name}: min_lot_rule must be 'raise' or 'skip', got {value!r}",
        "zh-tw": "群組 {name}：min_lot_rule 必須是 'raise' 或 'skip'，收到 {value!r}",
        "zh-cn": "组 {name}：min_lot_rule 必须是 'raise' 或 'skip'，收到 {value!r}",
    },
    "grp_error": {
        "en": "group {name}: {error}",
        "zh-tw": "群組 {name}：{error}",
        "zh-cn": "组 {name}：{error}",
    },
    "grp_risk_percent": {
        "en": "group {name}: the risk method needs --risk-percent above 0 and at most 100",
        "zh-tw": "群組 {name}：risk 分配方式需要 --risk-percent 大於 0 且不超過 100",
        "zh-cn": "组 {name}：risk 分配方式需要 --risk-percent 大于 0 且不超过 100",
    },
    "grp_not_member": {
        "en": "group {name}: {key} names {member!r}, which is not a member ({hint})",
        "zh-tw": "群組 {name}：{key} 指定了 {member!r}，但它不是成員（{hint}）",
        "zh-cn": "组 {name}：{key} 指定了 {member!r}，但它不是成员（{hint}）",
    },
    "grp_member_negative": {
        "en": "group {name}: {key} of {member} must not be negative",
        "zh-tw": "群組 {name}：{member} 的 {key} 不可為負數",
        "zh-cn": "组 {name}：{member} 的 {key} 不能为负数",
    },
    "grp_limit_whole": {
        "en": "group {name}: {key} must be a whole number >= 0 (0 = no limit), got {value!r}",
        "zh-tw": "群組 {name}：{key} 必須是 >= 0 的整數（0 = 不限制），收到 {value!r}",
        "zh-cn": "组 {name}：{key} 必须是 >= 0 的整数（0 = 不限制），收到 {value!r}",
    },
    "grp_limit_number": {
        "en": "group {name}: {key} must be a number >= 0 (0 = no limit), got {value!r}",
        "zh-tw": "群組 {name}：{key} 必須是 >= 0 的數字（0 = 不限制），收到 {value!r}",
        "zh-cn": "组 {name}：{key} 必须是 >= 0 的数字（0 = 不限制），收到 {value!r}",
    },
    "grp_want_currency": {
        "en": "a 3-letter currency code such as USD",
        "zh-tw": "3 個字母的貨幣代碼，例如 USD",
        "zh-cn": "3 个字母的货币代码，例如 USD",
    },
    "grp_want_leverage": {
        "en": "a whole number >= 1",
        "zh-tw": ">= 1 的整數",
        "zh-cn": ">= 1 的整数",
    },
    "grp_want_deposit": {
        "en": "a number above 0",
        "zh-tw": "大於 0 的數字",
        "zh-cn": "大于 0 的数字",
    },
    "grp_member_value": {
        "en": "group {name}: {key} of {member} must be {want}, got {value!r}",
        "zh-tw": "群組 {name}：{member} 的 {key} 必須是{want}，收到 {value!r}",
        "zh-cn": "组 {name}：{member} 的 {key} 必须是{want}，收到 {value!r}",
    },
    "grp_file_not_toml": {
        "en": "{path}: not valid TOML ({error}); fix or remove the file",
        "zh-tw": "{path}：不是有效的 TOML（{error}）；請修正或刪除此檔案",
        "zh-cn": "{path}：不是有效的 TOML（{error}）；请修正或删除此文件",
    },
    "grp_file_not_table": {
        "en": "{path}: {name!r} must be a table [{name}]",
        "zh-tw": "{path}：{name!r} 必須是表格 [{name}]",
        "zh-cn": "{path}：{name!r} 必须是表 [{name}]",
    },
    "grp_file_unknown_keys": {
        "en": "{path}: group {name}: unknown keys {keys}",
        "zh-tw": "{path}：群組 {name}：未知的鍵 {keys}",
        "zh-cn": "{path}：组 {name}：未知的键 {keys}",
    },
    "grp_file_members": {
        "en": "{path}: group {name}: members must be a list of profile names",
        "zh-tw": "{path}：群組 {name}：members 必須是券商設定檔名稱的清單",
        "zh-cn": "{path}：组 {name}：members 必须是券商配置名称的列表",
    },
    "grp_file_table_value": {
        "en": "{path}: group {name}: {key} must be a table of member = value",
        "zh-tw": "{path}：群組 {name}：{key} 必須是「成員 = 值」的表格",
        "zh-cn": "{path}：组 {name}：{key} 必须是“成员 = 值”的表",
    },
    "grp_file_table_number": {
        "en": "{path}: group {name}: {key} must be a table of member = number",
        "zh-tw": "{path}：群組 {name}：{key} 必須是「成員 = 數字」的表格",
        "zh-cn": "{path}：组 {name}：{key} 必须是“成员 = 数字”的表",
    },
    "grp_file_error": {
        "en": "{path}: {error}",
        "zh-tw": "{path}：{error}",
        "zh-cn": "{path}：{error}",
    },
    "grp_file_group_error": {
        "en": "{path}: group {name}: {error}",
        "zh-tw": "{path}：群組 {name}：{error}",
        "zh-cn": "{path}：组 {name}：{error}",
    },
    "grp_unknown": {
        "en": "no account group {name!r} in {path} ({hint}); add one with "
              "'mas broker group add {name} --members a,b --allocation equity'",
        "zh-tw": "{path} 中沒有帳戶群組 {name!r}（{hint}）；請以 "
                 "'mas broker group add {name} --members a,b --allocation equity' 新增",
        "zh-cn": "{path} 中没有账户组 {name!r}（{hint}）；请用 "
                 "'mas broker group add {name} --members a,b --allocation equity' 添加",
    },
    "grp_exists": {
        "en": "group {name!r} exists already; remove it first or add it with --replace",
        "zh-tw": "群組 {name!r} 已存在；請先刪除，或加上 --replace 重新新增",
        "zh-cn": "组 {name!r} 已存在；请先删除，或加上 --replace 重新添加",
    },
    "grp_per_account_expected": {
        "en": "{option}: expected a number or member=number pairs, got {value!r}",
        "zh-tw": "{option}：應為一個數字或「成員=數字」配對，收到 {value!r}",
        "zh-cn": "{option}：应为一个数字或“成员=数字”配对，收到 {value!r}",
    },
    "grp_per_account_pair": {
        "en": "{option}: {value!r} is not member=number (e.g. alice=2,bob=0.5)",
        "zh-tw": "{option}：{value!r} 不是「成員=數字」（例如 alice=2,bob=0.5）",
        "zh-cn": "{option}：{value!r} 不是“成员=数字”（例如 alice=2,bob=0.5）",
    },
    "grp_member_no_profile": {
        "en": "group {name}: no broker profile {member!r} ({hint}); add it with 'mas broker add {member} ...'",
        "zh-tw": "群組 {name}：沒有券商設定檔 {member!r}（{hint}）；請以 'mas broker add {member} ...' 新增",
        "zh-cn": "组 {name}：没有券商配置 {member!r}（{hint}）；请用 'mas broker add {member} ...' 添加",
    },
    # ------------------------------------------------------------------ mas.groups.allocation
    "alloc_not_number": {
        "en": "{what}: expected a number, got {value!r}",
        "zh-tw": "{what}：應為數字，收到 {value!r}",
        "zh-cn": "{what}：应为数字，收到 {value!r}",
    },
    "alloc_not_finite": {
        "en": "{what}: expected a finite number, got {value!r}",
        "zh-tw": "{what}：應為有限的數字，收到 {value!r}",
        "zh-cn": "{what}：应为有限的数字，收到 {value!r}",
    },
    "alloc_account_positive": {
        "en": "account {name}: {key} must be above 0, got {value!r}",
        "zh-tw": "帳戶 {name}：{key} 必須大於 0，收到 {value!r}",
        "zh-cn": "账户 {name}：{key} 必须大于 0，收到 {value!r}",
    },
    "alloc_account_negative": {
        "en": "account {name}: {key} must not be negative, got {value!r}",
        "zh-tw": "帳戶 {name}：{key} 不可為負數，收到 {value!r}",
        "zh-cn": "账户 {name}：{key} 不能为负数，收到 {value!r}",
    },
    "alloc_method_unknown": {
        "en": "allocation method {method!r} is unknown: {hint}",
        "zh-tw": "未知的分配方式 {method!r}：{hint}",
        "zh-cn": "未知的分配方式 {method!r}：{hint}",
    },
    "alloc_min_lot_rule": {
        "en": "min-lot rule {value!r} is unknown: use 'raise' or 'skip'",
        "zh-tw": "未知的最小手數規則 {value!r}：請使用 'raise' 或 'skip'",
        "zh-cn": "未知的最小手数规则 {value!r}：请使用 'raise' 或 'skip'",
    },
    "alloc_no_accounts": {
        "en": "a group needs at least one account",
        "zh-tw": "群組至少需要一個帳戶",
        "zh-cn": "组至少需要一个账户",
    },
    "alloc_account_twice": {
        "en": "an account is listed twice: {names}",
        "zh-tw": "帳戶重複列出：{names}",
        "zh-cn": "账户重复列出：{names}",
    },
    "alloc_volume_positive": {
        "en": "volume must be above 0 lots, got {value!r}",
        "zh-tw": "手數必須大於 0，收到 {value!r}",
        "zh-cn": "手数必须大于 0，收到 {value!r}",
    },
    "alloc_tick_value": {
        "en": "account {name}: {method} needs a tick value above 0",
        "zh-tw": "帳戶 {name}：{method} 需要大於 0 的跳動點值",
        "zh-cn": "账户 {name}：{method} 需要大于 0 的跳动点值",
    },
    "alloc_weights_zero": {
        "en": "{method}: every account's {weight} is 0; nothing to split by",
        "zh-tw": "{method}：每個帳戶的 {weight} 都是 0；無從分配",
        "zh-cn": "{method}：每个账户的 {weight} 都是 0；无从分配",
    },
    "alloc_risk_percent": {
        "en": "risk: risk_percent must be above 0 and at most 100, got {value!r}",
        "zh-tw": "risk：risk_percent 必須大於 0 且不超過 100，收到 {value!r}",
        "zh-cn": "risk：risk_percent 必须大于 0 且不超过 100，收到 {value!r}",
    },
    "alloc_stop_distance": {
        "en": "risk: the stop distance must be above 0 (in price), got {value!r}",
        "zh-tw": "risk：停損距離必須大於 0（以價格計），收到 {value!r}",
        "zh-cn": "risk：止损距离必须大于 0（以价格计），收到 {value!r}",
    },
    # ------------------------------------------------------------------ mas.groups: backtest, accounts, sessions
    "gbt_account_format": {
        "en": "{where}: {value!r} is not DEPOSIT[:LEVERAGE[:CURRENCY]] (e.g. 10000:100 or 5000:30:EUR)",
        "zh-tw": "{where}：{value!r} 不是 DEPOSIT[:LEVERAGE[:CURRENCY]]（例如 10000:100 或 5000:30:EUR）",
        "zh-cn": "{where}：{value!r} 不是 DEPOSIT[:LEVERAGE[:CURRENCY]]（例如 10000:100 或 5000:30:EUR）",
    },
    "gbt_account_numbers": {
        "en": "{where}: {value!r}: the deposit must be a number and the leverage a whole number (e.g. 10000:100)",
        "zh-tw": "{where}：{value!r}：入金必須是數字，槓桿必須是整數（例如 10000:100）",
        "zh-cn": "{where}：{value!r}：入金必须是数字，杠杆必须是整数（例如 10000:100）",
    },
    "gbt_deposit": {
        "en": "{where}: the deposit of {name} must be above 0, got {value!r}",
        "zh-tw": "{where}：{name} 的入金必須大於 0，收到 {value!r}",
        "zh-cn": "{where}：{name} 的入金必须大于 0，收到 {value!r}",
    },
    "gbt_leverage": {
        "en": "{where}: the leverage of {name} must be at least 1 (1:1), got {value!r}",
        "zh-tw": "{where}：{name} 的槓桿至少為 1（1:1），收到 {value!r}",
        "zh-cn": "{where}：{name} 的杠杆至少为 1（1:1），收到 {value!r}",
    },
    "gbt_currency": {
        "en": "{where}: the currency of {name} must be a 3-letter code such as USD or EUR, got {value!r}",
        "zh-tw": "{where}：{name} 的貨幣必須是 3 個字母的代碼，例如 USD 或 EUR，收到 {value!r}",
        "zh-cn": "{where}：{name} 的货币必须是 3 个字母的代码，例如 USD 或 EUR，收到 {value!r}",
    },
    "gbt_accounts_empty": {
        "en": "--accounts: give DEPOSIT:LEVERAGE per account, e.g. 10000:100,50000:500",
        "zh-tw": "--accounts：請為每個帳戶指定 DEPOSIT:LEVERAGE，例如 10000:100,50000:500",
        "zh-cn": "--accounts：请为每个账户指定 DEPOSIT:LEVERAGE，例如 10000:100,50000:500",
    },
    "gbt_accounts_mixed": {
        "en": "--accounts: name every account (alice=10000:100,bob=5000:50) or none (10000:100,5000:50)",
        "zh-tw": "--accounts：請為每個帳戶命名（alice=10000:100,bob=5000:50），或全部不命名（10000:100,5000:50）",
        "zh-cn": "--accounts：请为每个账户命名（alice=10000:100,bob=5000:50），或全部不命名（10000:100,5000:50）",
    },
    "gbt_accounts_twice": {
        "en": "--accounts: {names} is given twice",
        "zh-tw": "--accounts：{names} 重複指定",
        "zh-cn": "--accounts：{names} 重复指定",
    },
    "gbt_accounts_not_member": {
        "en": "--accounts: {name!r} is not a member of the group ({hint})",
        "zh-tw": "--accounts：{name!r} 不是群組的成員（{hint}）",
        "zh-cn": "--accounts：{name!r} 不是组的成员（{hint}）",
    },
    "gbt_accounts_missing": {
        "en": "--accounts: give every member's deposit; missing: {names}",
        "zh-tw": "--accounts：請指定每個成員的入金；缺少：{names}",
        "zh-cn": "--accounts：请指定每个成员的入金；缺少：{names}",
    },
    "gbt_accounts_unnamed": {
        "en": "--accounts: without a stored group, name each account: alice=10000:100,bob=5000:50",
        "zh-tw": "--accounts：沒有已儲存的群組時，請為每個帳戶命名：alice=10000:100,bob=5000:50",
        "zh-cn": "--accounts：没有已保存的组时，请为每个账户命名：alice=10000:100,bob=5000:50",
    },
    "gbt_accounts_count": {
        "en": "--accounts: {given} account(s) given for {count} member(s) ({members}); give one DEPOSIT:LEVERAGE "
              "per member, in that order",
        "zh-tw": "--accounts：指定了 {given} 個帳戶，但有 {count} 個成員（{members}）；請依此順序為每個成員指定一組 "
                 "DEPOSIT:LEVERAGE",
        "zh-cn": "--accounts：指定了 {given} 个账户，但有 {count} 个成员（{members}）；请按此顺序为每个成员指定一组 "
                 "DEPOSIT:LEVERAGE",
    },
    "gbt_no_bars": {
        "en": "the group backtest replayed no bars",
        "zh-tw": "群組回測沒有重播任何K線",
        "zh-cn": "组回测没有重播任何K线",
    },
    "gbt_accounts_order": {
        "en": "group {name}: the accounts ({accounts}) must be its members in order ({members})",
        "zh-tw": "群組 {name}：帳戶（{accounts}）必須依序為其成員（{members}）",
        "zh-cn": "组 {name}：账户（{accounts}）必须按顺序为其成员（{members}）",
    },
    "gbt_no_ticks": {
        "en": "subscribe_ticks: a group backtest replays bars; use subscribe_bars (any bar model, "
              "e.g. model='every_tick' for ticks inside the bars)",
        "zh-tw": "subscribe_ticks：群組回測重播的是K線；請使用 subscribe_bars（任何K線模型皆可，"
                 "例如 model='every_tick' 取得K線內的跳動）",
        "zh-cn": "subscribe_ticks：组回测重播的是K线；请使用 subscribe_bars（任何K线模型均可，"
                 "例如 model='every_tick' 获取K线内的跳动）",
    },
    "grp_no_account_info": {
        "en": "no account information ({error})",
        "zh-tw": "無法取得帳戶資訊（{error}）",
        "zh-cn": "无法获取账户信息（{error}）",
    },
    "grp_symbol_not_offered": {
        "en": "symbol {symbol} is not offered ({error})",
        "zh-tw": "未提供商品 {symbol}（{error}）",
        "zh-cn": "未提供品种 {symbol}（{error}）",
    },
    "grp_nothing_to_close": {
        "en": "no child of this parent has an open position to close",
        "zh-tw": "此母單的子單都沒有可平倉的部位",
        "zh-cn": "此母单的子单都没有可平仓的持仓",
    },
    "grp_act_reused": {
        "en": "client_order_id {id!r} was used before for another action ({request} on {parent}); "
              "use a new client_order_id",
        "zh-tw": "client_order_id {id!r} 先前已用於另一個操作（{parent} 上的 {request}）；請使用新的 client_order_id",
        "zh-cn": "client_order_id {id!r} 之前已用于另一个操作（{parent} 上的 {request}）；请使用新的 client_order_id",
    },
    "grp_member_symbol_unread": {
        "en": "{name}: symbol {symbol} cannot be read ({error})",
        "zh-tw": "{name}：無法讀取商品 {symbol}（{error}）",
        "zh-cn": "{name}：无法读取品种 {symbol}（{error}）",
    },
    "grp_sltp_missing": {
        "en": "sl/tp: modify_position_sltp needs sl, tp or both",
        "zh-tw": "sl/tp：modify_position_sltp 需要 sl、tp 或兩者",
        "zh-cn": "sl/tp：modify_position_sltp 需要 sl、tp 或两者",
    },
    "grp_risk_needs_sl": {
        "en": "the risk allocation needs the order's sl (the stop distance sizes each account)",
        "zh-tw": "risk 分配方式需要訂單的 sl（依停損距離計算每個帳戶的手數）",
        "zh-cn": "risk 分配方式需要订单的 sl（按止损距离计算每个账户的手数）",
    },
    "grp_no_price": {
        "en": "no price for {symbol}: the stop distance cannot be measured",
        "zh-tw": "{symbol} 沒有報價：無法計算停損距離",
        "zh-cn": "{symbol} 没有报价：无法计算止损距离",
    },
    "grp_order_reused": {
        "en": "client_order_id {id!r} was sent before as a different order ({request}); use a new client_order_id",
        "zh-tw": "client_order_id {id!r} 先前已用於另一筆不同的訂單（{request}）；請使用新的 client_order_id",
        "zh-cn": "client_order_id {id!r} 之前已用于另一笔不同的订单（{request}）；请使用新的 client_order_id",
    },
    "grp_symbol_error": {
        "en": "symbol {symbol}: {error}",
        "zh-tw": "商品 {symbol}：{error}",
        "zh-cn": "品种 {symbol}：{error}",
    },
    "grp_member_problem": {
        "en": "{member}: {why}",
        "zh-tw": "{member}：{why}",
        "zh-cn": "{member}：{why}",
    },
    "grp_members_unreadable": {
        "en": "group {name}: cannot read {count} member(s): {detail}",
        "zh-tw": "群組 {name}：無法讀取 {count} 個成員：{detail}",
        "zh-cn": "组 {name}：无法读取 {count} 个成员：{detail}",
    },
    # ------------------------------------------------------------------ mas.live.profiles, mas.live.guards
    "prof_name_invalid": {
        "en": "profile name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)",
        "zh-tw": "設定檔名稱 {name!r}：請使用字母、數字、'.'、'_' 或 '-'（最多 64 個字元）",
        "zh-cn": "配置名称 {name!r}：请使用字母、数字、'.'、'_' 或 '-'（最多 64 个字符）",
    },
    "prof_terminal_invalid": {
        "en": "profile {name}: terminal must be one of {valid}, got {value!r}",
        "zh-tw": "設定檔 {name}：terminal 必須是 {valid} 之一，收到 {value!r}",
        "zh-cn": "配置 {name}：terminal 必须是 {valid} 之一，收到 {value!r}",
    },
    "prof_error": {
        "en": "profile {name}: {error}",
        "zh-tw": "設定檔 {name}：{error}",
        "zh-cn": "配置 {name}：{error}",
    },
    "prof_file_not_toml": {
        "en": "{path}: not valid TOML ({error})",
        "zh-tw": "{path}：不是有效的 TOML（{error}）",
        "zh-cn": "{path}：不是有效的 TOML（{error}）",
    },
    "prof_file_unknown_keys": {
        "en": "{path}: profile {name}: unknown keys {keys}",
        "zh-tw": "{path}：設定檔 {name}：未知的鍵 {keys}",
        "zh-cn": "{path}：配置 {name}：未知的键 {keys}",
    },
    "prof_file_password": {
        "en": "{path}: profile {name} holds a password; remove it and use {env} or the OS keyring instead",
        "zh-tw": "{path}：設定檔 {name} 含有密碼；請將其刪除，改用 {env} 或作業系統金鑰圈",
        "zh-cn": "{path}：配置 {name} 含有密码；请将其删除，改用 {env} 或操作系统密钥环",
    },
    "prof_file_profile_error": {
        "en": "{path}: profile {name}: {error}",
        "zh-tw": "{path}：設定檔 {name}：{error}",
        "zh-cn": "{path}：配置 {name}：{error}",
    },
    "prof_max_positions_whole": {
        "en": "max_positions: expected a whole number, got {value!r}",
        "zh-tw": "max_positions：應為整數，收到 {value!r}",
        "zh-cn": "max_positions：应为整数，收到 {value!r}",
    },
    "prof_none_yet": {
        "en": "none yet",
        "zh-tw": "尚無",
        "zh-cn": "尚无",
    },
    "prof_unknown": {
        "en": "no broker profile {name!r} in {path} (known: {known}); add one with 'mas broker add {name} ...'",
        "zh-tw": "{path} 中沒有券商設定檔 {name!r}（已有：{known}）；請以 'mas broker add {name} ...' 新增",
        "zh-cn": "{path} 中没有券商配置 {name!r}（已有：{known}）；请用 'mas broker add {name} ...' 添加",
    },
    "prof_no_keyring": {
        "en": "the keyring package is not installed (pip install keyring); or set {env} instead",
        "zh-tw": "未安裝 keyring 套件（pip install keyring）；或改為設定 {env}",
        "zh-cn": "未安装 keyring 包（pip install keyring）；或改为设置 {env}",
    },
    "prof_no_password": {
        "en": "no password for broker profile {name}: pass 'password', set {env} "
              "or store it in the OS keyring (mas broker add {name} --keyring)",
        "zh-tw": "券商設定檔 {name} 沒有密碼：請傳入 'password'、設定 {env}，"
                 "或存入作業系統金鑰圈（mas broker add {name} --keyring）",
        "zh-cn": "券商配置 {name} 没有密码：请传入 'password'、设置 {env}，"
                 "或存入操作系统密钥环（mas broker add {name} --keyring）",
    },
    "guard_not_a_day": {
        "en": "trading_hours {text!r}: {name!r} is not a day (use Mon Tue Wed Thu Fri Sat Sun)",
        "zh-tw": "trading_hours {text!r}：{name!r} 不是星期名稱（請使用 Mon Tue Wed Thu Fri Sat Sun）",
        "zh-cn": "trading_hours {text!r}：{name!r} 不是星期名称（请使用 Mon Tue Wed Thu Fri Sat Sun）",
    },
    "guard_not_a_time": {
        "en": "trading_hours {text!r}: {clock} is not a time of day (00:00 to 23:59, or 24:00 as an end)",
        "zh-tw": "trading_hours {text!r}：{clock} 不是有效的時間（00:00 至 23:59，結束時間可用 24:00）",
        "zh-cn": "trading_hours {text!r}：{clock} 不是有效的时间（00:00 至 23:59，结束时间可用 24:00）",
    },
    "guard_hours_empty": {
        "en": "trading_hours: empty; e.g. \"Mon-Fri 07:00-20:00\" (UTC)",
        "zh-tw": "trading_hours：為空；例如 \"Mon-Fri 07:00-20:00\"（UTC）",
        "zh-cn": "trading_hours：为空；例如 \"Mon-Fri 07:00-20:00\"（UTC）",
    },
    "guard_window_unreadable": {
        "en": "trading_hours {text!r}: cannot read {window!r}; expected [DAYS ]HH:MM-HH:MM, "
              "e.g. \"Mon-Fri 07:00-20:00\"",
        "zh-tw": "trading_hours {text!r}：無法解讀 {window!r}；格式應為 [DAYS ]HH:MM-HH:MM，"
                 "例如 \"Mon-Fri 07:00-20:00\"",
        "zh-cn": "trading_hours {text!r}：无法解析 {window!r}；格式应为 [DAYS ]HH:MM-HH:MM，"
                 "例如 \"Mon-Fri 07:00-20:00\"",
    },
    "guard_window_empty": {
        "en": "trading_hours {text!r}: {window!r} is empty; a whole day is 00:00-24:00",
        "zh-tw": "trading_hours {text!r}：{window!r} 是空的時段；一整天是 00:00-24:00",
        "zh-cn": "trading_hours {text!r}：{window!r} 是空的时段；一整天是 00:00-24:00",
    },
    "guard_limit_number": {
        "en": "{name}: must be a number >= 0 (0 = no limit), got {value!r}",
        "zh-tw": "{name}：必須是 >= 0 的數字（0 = 不限制），收到 {value!r}",
        "zh-cn": "{name}：必须是 >= 0 的数字（0 = 不限制），收到 {value!r}",
    },
    "guard_max_positions": {
        "en": "max_positions: must be a whole number >= 0 (0 = no limit), got {value!r}",
        "zh-tw": "max_positions：必須是 >= 0 的整數（0 = 不限制），收到 {value!r}",
        "zh-cn": "max_positions：必须是 >= 0 的整数（0 = 不限制），收到 {value!r}",
    },
    # ------------------------------------------------------------------ mas.live.copier, mas.live.copier_state
    "copier_follower_multiplier": {
        "en": "follower {name}: multiplier",
        "zh-tw": "跟單帳戶 {name}：倍數",
        "zh-cn": "跟单账户 {name}：倍数",
    },
    "copier_fixed_lots": {
        "en": "--fixed-lots (sizing fixed)",
        "zh-tw": "--fixed-lots（固定手數）",
        "zh-cn": "--fixed-lots（固定手数）",
    },
    "copier_no_followers_option": {
        "en": "--followers: name at least one broker profile, e.g. --followers alice,bob:0.5",
        "zh-tw": "--followers：請至少指定一個券商設定檔，例如 --followers alice,bob:0.5",
        "zh-cn": "--followers：请至少指定一个券商配置，例如 --followers alice,bob:0.5",
    },
    "copier_followers_twice": {
        "en": "--followers: {names} listed twice",
        "zh-tw": "--followers：{names} 重複列出",
        "zh-cn": "--followers：{names} 重复列出",
    },
    "copier_map_invalid": {
        "en": "--map {item!r}: expected MASTER=FOLLOWER (e.g. EURUSD=EURUSD.m), or PROFILE:MASTER=FOLLOWER for one "
              "follower",
        "zh-tw": "--map {item!r}：格式應為 MASTER=FOLLOWER（例如 EURUSD=EURUSD.m），"
                 "或針對單一跟單帳戶使用 PROFILE:MASTER=FOLLOWER",
        "zh-cn": "--map {item!r}：格式应为 MASTER=FOLLOWER（例如 EURUSD=EURUSD.m），"
                 "或针对单个跟单账户使用 PROFILE:MASTER=FOLLOWER",
    },
    "copier_positive": {
        "en": "{what}: expected a number above 0, got {value!r}",
        "zh-tw": "{what}：應為大於 0 的數字，收到 {value!r}",
        "zh-cn": "{what}：应为大于 0 的数字，收到 {value!r}",
    },
    "copier_sizing_unknown": {
        "en": "sizing {sizing!r} is unknown: use {valid}",
        "zh-tw": "未知的手數計算方式 {sizing!r}：請使用 {valid}",
        "zh-cn": "未知的手数计算方式 {sizing!r}：请使用 {valid}",
    },
    "copier_min_lot": {
        "en": "--min-lot {value!r}: use 'raise' or 'skip'",
        "zh-tw": "--min-lot {value!r}：請使用 'raise' 或 'skip'",
        "zh-cn": "--min-lot {value!r}：请使用 'raise' 或 'skip'",
    },
    "copier_poll_ms": {
        "en": "--poll-ms must be at least 10, got {value}",
        "zh-tw": "--poll-ms 至少為 10，收到 {value}",
        "zh-cn": "--poll-ms 至少为 10，收到 {value}",
    },
    "copier_no_followers": {
        "en": "a copier needs at least one follower",
        "zh-tw": "跟單器至少需要一個跟單帳戶",
        "zh-cn": "跟单器至少需要一个跟单账户",
    },
    "copier_master_follows": {
        "en": "the master {master} cannot also be a follower",
        "zh-tw": "主帳戶 {master} 不能同時是跟單帳戶",
        "zh-cn": "主账户 {master} 不能同时是跟单账户",
    },
    "copier_other_master": {
        "en": "copier {name!r} copies account {account} on {server}, not {new_account} on {new_server}: "
              "give this master another --name",
        "zh-tw": "跟單器 {name!r} 複製的是 {server} 上的帳戶 {account}，不是 {new_server} 上的 {new_account}："
                 "請為此主帳戶指定另一個 --name",
        "zh-cn": "跟单器 {name!r} 复制的是 {server} 上的账户 {account}，不是 {new_server} 上的 {new_account}："
                 "请为此主账户指定另一个 --name",
    },
    "copier_deals_unread": {
        "en": "the master's deals cannot be read ({error})",
        "zh-tw": "無法讀取主帳戶的成交紀錄（{error}）",
        "zh-cn": "无法读取主账户的成交记录（{error}）",
    },
    "copier_positions_unread": {
        "en": "the master's positions cannot be read ({error})",
        "zh-tw": "無法讀取主帳戶的部位（{error}）",
        "zh-cn": "无法读取主账户的持仓（{error}）",
    },
    "copier_none": {
        "en": "none",
        "zh-tw": "無",
        "zh-cn": "无",
    },
    "copier_no_profile": {
        "en": "no broker profile {names} (known: {known}); add one with 'mas broker add NAME ...'",
        "zh-tw": "沒有券商設定檔 {names}（已有：{known}）；請以 'mas broker add NAME ...' 新增",
        "zh-cn": "没有券商配置 {names}（已有：{known}）；请用 'mas broker add NAME ...' 添加",
    },
    "copier_master_login": {
        "en": "the master {master} cannot log in: {error}",
        "zh-tw": "主帳戶 {master} 無法登入：{error}",
        "zh-cn": "主账户 {master} 无法登录：{error}",
    },
    "copier_name_invalid": {
        "en": "copier name {name!r}: use 1-64 letters, digits, '.', '_' or '-'",
        "zh-tw": "跟單器名稱 {name!r}：請使用 1-64 個字母、數字、'.'、'_' 或 '-'",
        "zh-cn": "跟单器名称 {name!r}：请使用 1-64 个字母、数字、'.'、'_' 或 '-'",
    },
    "copier_state_unreadable": {
        "en": "the copier state file {path} cannot be read ({error})",
        "zh-tw": "無法讀取跟單器狀態檔 {path}（{error}）",
        "zh-cn": "无法读取跟单器状态文件 {path}（{error}）",
    },
    "copier_running": {
        "en": "a copier named {name!r} runs already (lock {path}); stop it first, or give this one another --name",
        "zh-tw": "名為 {name!r} 的跟單器已在執行（鎖定檔 {path}）；請先停止它，或為這個指定另一個 --name",
        "zh-cn": "名为 {name!r} 的跟单器已在运行（锁文件 {path}）；请先停止它，或为这个指定另一个 --name",
    },
    # ------------------------------------------------------------------ mas.cli.broker, mas.live.connect
    "grp_leverages_whole": {
        "en": "--leverages: a leverage is a whole number, e.g. 100 for 1:100",
        "zh-tw": "--leverages：槓桿必須是整數，例如 100 代表 1:100",
        "zh-cn": "--leverages：杠杆必须是整数，例如 100 代表 1:100",
    },
    "grp_currencies_pairs": {
        "en": "--currencies: expected member=CURRENCY pairs (e.g. a=EUR,b=USD), got {value!r}",
        "zh-tw": "--currencies：應為「成員=貨幣」配對（例如 a=EUR,b=USD），收到 {value!r}",
        "zh-cn": "--currencies：应为“成员=货币”配对（例如 a=EUR,b=USD），收到 {value!r}",
    },
    "login_auth_refused": {
        "en": "{code}: {text}",
        "zh-tw": "{code}：{text}（請檢查帳號與密碼）",
        "zh-cn": "{code}：{text}（请检查账号和密码）",
    },
    "login_refused_code": {
        "en": "{code}: {text}",
        "zh-tw": "{code}：{text}",
        "zh-cn": "{code}：{text}",
    },
    # ------------------------------------------------------------------ mas.groups.guards (a new parent refused)
    "gguard_positions_unread": {
        "en": "group guard: {name}'s positions cannot be read ({error}); the limits cannot be checked",
        "zh-tw": "群組風控：無法讀取 {name} 的部位（{error}）；無法檢查限制",
        "zh-cn": "组风控：无法读取 {name} 的持仓（{error}）；无法检查限制",
    },
    "gguard_max_total_lots": {
        "en": "group guard max_total_lots of group {group}: {lots:g} lots open across the members plus {new_lots:g} "
              "is above the limit of {limit:g} lots",
        "zh-tw": "群組 {group} 的風控 max_total_lots：成員合計已持有 {lots:g} 手，加上新的 {new_lots:g} 手"
                 "超過上限 {limit:g} 手",
        "zh-cn": "组 {group} 的风控 max_total_lots：成员合计已持有 {lots:g} 手，加上新的 {new_lots:g} 手"
                 "超过上限 {limit:g} 手",
    },
    "gguard_max_open_positions": {
        "en": "group guard max_open_positions of group {group}: {count} positions and pending orders across the "
              "members plus {new_count} new is above the limit of {limit}",
        "zh-tw": "群組 {group} 的風控 max_open_positions：成員合計 {count} 個部位與掛單，加上新的 {new_count} 個"
                 "超過上限 {limit}",
        "zh-cn": "组 {group} 的风控 max_open_positions：成员合计 {count} 个持仓和挂单，加上新的 {new_count} 个"
                 "超过上限 {limit}",
    },
    "gguard_daily_loss": {
        "en": "group guard daily_loss_limit of group {group}: today's loss across the members {loss:.2f} has reached "
              "the limit of {limit:.2f}; only closing orders are accepted until 00:00 UTC",
        "zh-tw": "群組 {group} 的風控 daily_loss_limit：成員今日合計虧損 {loss:.2f} 已達上限 {limit:.2f}；"
                 "在 00:00 UTC 前只接受平倉訂單",
        "zh-cn": "组 {group} 的风控 daily_loss_limit：成员今日合计亏损 {loss:.2f} 已达上限 {limit:.2f}；"
                 "在 00:00 UTC 前只接受平仓订单",
    },
    "gguard_equity_unread": {
        "en": "group guard daily_loss_limit: {name}'s equity cannot be read ({error})",
        "zh-tw": "群組風控 daily_loss_limit：無法讀取 {name} 的淨值（{error}）",
        "zh-cn": "组风控 daily_loss_limit：无法读取 {name} 的净值（{error}）",
    },
    # ------------------------------------------------------------------ mas.live.guards: why an order is refused
    "refusal_name": {"en": "risk guard {guard}", "zh-tw": "風控 {guard}", "zh-cn": "风控 {guard}"},
    "refusal_name_profile": {
        "en": "risk guard {guard} of profile {profile}",
        "zh-tw": "設定檔 {profile} 的風控 {guard}",
        "zh-cn": "配置 {profile} 的风控 {guard}",
    },
    "refusal_exposure_locked": {
        "en": "{guard}: the open positions cannot be counted: another order on this account held the exposure lock "
              "for {seconds:g} s",
        "zh-tw": "{guard}：無法計算持倉部位：此帳戶的另一張訂單佔用曝險鎖已達 {seconds:g} 秒",
        "zh-cn": "{guard}：无法统计持仓：此账户的另一张订单占用敞口锁已达 {seconds:g} 秒",
    },
    "refusal_outside_hours": {
        "en": "{guard}: {now} UTC is outside the trading hours \"{hours}\" (UTC); only closing orders are accepted",
        "zh-tw": "{guard}：{now} UTC 不在交易時段 \"{hours}\"（UTC）內；只接受平倉單",
        "zh-cn": "{guard}：{now} UTC 不在交易时段 \"{hours}\"（UTC）内；只接受平仓单",
    },
    "refusal_max_lots": {
        "en": "{guard}: {volume:g} lots is above the limit of {limit:g} lots per order",
        "zh-tw": "{guard}：{volume:g} 手超過每張訂單 {limit:g} 手的上限",
        "zh-cn": "{guard}：{volume:g} 手超过每张订单 {limit:g} 手的上限",
    },
    "refusal_equity_unread": {
        "en": "{guard}: the account equity cannot be read ({why})",
        "zh-tw": "{guard}：無法讀取帳戶淨值（{why}）",
        "zh-cn": "{guard}：无法读取账户净值（{why}）",
    },
    "refusal_daily_loss": {
        "en": "{guard}: today's loss {loss:.2f} {currency} (equity {equity:.2f} against {start:.2f} at the start of "
              "{day} UTC) has reached the limit of {limit:.2f} {currency}; only closing orders are accepted until "
              "00:00 UTC",
        "zh-tw": "{guard}：今日虧損 {loss:.2f} {currency}（淨值 {equity:.2f}，{day} UTC 開始時為 {start:.2f}）已達上限 "
                 "{limit:.2f} {currency}；在 00:00 UTC 前只接受平倉單",
        "zh-cn": "{guard}：今日亏损 {loss:.2f} {currency}（净值 {equity:.2f}，{day} UTC 开始时为 {start:.2f}）已达上限 "
                 "{limit:.2f} {currency}；在 00:00 UTC 前只接受平仓单",
    },
    "refusal_positions_unread": {
        "en": "{guard}: the open positions cannot be read ({why})",
        "zh-tw": "{guard}：無法讀取持倉部位（{why}）",
        "zh-cn": "{guard}：无法读取持仓（{why}）",
    },
    "refusal_on_their_way": {
        "en": " (with {count} order(s) on their way to the server)",
        "zh-tw": "（另有 {count} 張訂單正在送往伺服器）",
        "zh-cn": "（另有 {count} 张订单正在送往服务器）",
    },
    "refusal_what_symbols": {
        "en": "symbols with a position or pending order",
        "zh-tw": "個有部位或掛單的商品",
        "zh-cn": "个有持仓或挂单的品种",
    },
    "refusal_what_positions": {
        "en": "open positions and pending orders",
        "zh-tw": "筆持倉部位與掛單",
        "zh-cn": "笔持仓与挂单",
    },
    "refusal_max_positions": {
        "en": "{guard}: {count} {what} already{sending}, the limit is {limit}",
        "zh-tw": "{guard}：已有 {count} {what}{sending}，上限為 {limit}",
        "zh-cn": "{guard}：已有 {count} {what}{sending}，上限为 {limit}",
    },
}
