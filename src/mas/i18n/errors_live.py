"""Error message catalog of the sim server, the wire, the live runner and bridges (mas.live.simserver, mas.live,
mas.app.live, mas.app.group_backtests, mas.mt5): key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated.
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ mas.live.simserver
    "simsrv_accounts_unreadable": {
        "en": "cannot read the accounts file {path}: {error}",
        "zh-tw": "無法讀取帳戶檔 {path}：{error}",
        "zh-cn": "无法读取账户文件 {path}：{error}",
    },
    "simsrv_accounts_invalid": {
        "en": "the accounts file {path} is not valid {kind}: {error}",
        "zh-tw": "帳戶檔 {path} 不是有效的 {kind}：{error}",
        "zh-cn": "账户文件 {path} 不是有效的 {kind}：{error}",
    },
    "simsrv_accounts_empty": {
        "en": "the accounts file {path} lists no accounts: add [[account]] tables with login and password_hash",
        "zh-tw": "帳戶檔 {path} 未列出任何帳戶：請加入含 login 與 password_hash 的 [[account]] 表格",
        "zh-cn": "账户文件 {path} 未列出任何账户：请加入含 login 和 password_hash 的 [[account]] 表",
    },
    "simsrv_where": {
        "en": "{path}: account {n}",
        "zh-tw": "{path}：第 {n} 個帳戶",
        "zh-cn": "{path}：第 {n} 个账户",
    },
    "simsrv_entry_not_table": {
        "en": "{where}: expected a table with login and password_hash",
        "zh-tw": "{where}：應為含 login 與 password_hash 的表格",
        "zh-cn": "{where}：应为含 login 和 password_hash 的表",
    },
    "simsrv_entry_unknown_keys": {
        "en": "{where}: unknown key(s) {keys} (allowed: login, password_hash, balance, currency, leverage)",
        "zh-tw": "{where}：未知的鍵 {keys}（可用：login、password_hash、balance、currency、leverage）",
        "zh-cn": "{where}：未知的键 {keys}（可用：login、password_hash、balance、currency、leverage）",
    },
    "simsrv_entry_problem": {
        "en": "{where}: {problem}",
        "zh-tw": "{where}：{problem}",
        "zh-cn": "{where}：{problem}",
    },
    "simsrv_entry_twice": {
        "en": "{where}: login {login} is listed twice",
        "zh-tw": "{where}：帳號 {login} 重複列出",
        "zh-cn": "{where}：账号 {login} 重复列出",
    },
    "simsrv_entry_error": {
        "en": "{where} (login {login}): {error}",
        "zh-tw": "{where}（帳號 {login}）：{error}",
        "zh-cn": "{where}（账号 {login}）：{error}",
    },
    "simsrv_entry_balance": {
        "en": "{where} (login {login}): balance must be a positive number, got {value!r}",
        "zh-tw": "{where}（帳號 {login}）：balance 必須是正數，收到 {value!r}",
        "zh-cn": "{where}（账号 {login}）：balance 必须是正数，收到 {value!r}",
    },
    "simsrv_entry_currency": {
        "en": "{where} (login {login}): currency must be a 3-letter code such as 'USD'",
        "zh-tw": "{where}（帳號 {login}）：currency 必須是 3 個字母的代碼，例如 'USD'",
        "zh-cn": "{where}（账号 {login}）：currency 必须是 3 个字母的代码，例如 'USD'",
    },
    "simsrv_entry_leverage": {
        "en": "{where} (login {login}): leverage must be a whole number >= 1, got {value!r}",
        "zh-tw": "{where}（帳號 {login}）：leverage 必須是 >= 1 的整數，收到 {value!r}",
        "zh-cn": "{where}（账号 {login}）：leverage 必须是 >= 1 的整数，收到 {value!r}",
    },
    "simsrv_limiter_args": {
        "en": "max_failures must be >= 1 and window_s > 0",
        "zh-tw": "max_failures 必須 >= 1 且 window_s 必須 > 0",
        "zh-cn": "max_failures 必须 >= 1 且 window_s 必须 > 0",
    },
    "simsrv_tls_load": {
        "en": "cannot load the TLS certificate {cert} and key {key}: {error}",
        "zh-tw": "無法載入 TLS 憑證 {cert} 與金鑰 {key}：{error}",
        "zh-cn": "无法加载 TLS 证书 {cert} 和密钥 {key}：{error}",
    },
    "simsrv_gate_args": {
        "en": "max_connections and max_per_peer must be >= 1",
        "zh-tw": "max_connections 與 max_per_peer 必須 >= 1",
        "zh-cn": "max_connections 和 max_per_peer 必须 >= 1",
    },
    "simsrv_peer_gone": {
        "en": "the peer went away",
        "zh-tw": "對方已中斷連線",
        "zh-cn": "对方已断开连接",
    },
    "simsrv_too_many_connections": {
        "en": "too many connections",
        "zh-tw": "連線數過多",
        "zh-cn": "连接数过多",
    },
    "simsrv_tls_handshake": {
        "en": "TLS handshake failed",
        "zh-tw": "TLS 交握失敗",
        "zh-cn": "TLS 握手失败",
    },
    "simsrv_speed": {
        "en": "speed: must be > 0 market seconds per real second, got {value}",
        "zh-tw": "speed：每實際秒對應的市場秒數必須 > 0，收到 {value}",
        "zh-cn": "speed：每实际秒对应的市场秒数必须 > 0，收到 {value}",
    },
    "simsrv_state_other_replay": {
        "en": "the state file {path} holds a {symbol} {timeframe} replay, not {wanted_symbol} {wanted_timeframe}: "
              "use another --state file or the same symbol and timeframe",
        "zh-tw": "狀態檔 {path} 存的是 {symbol} {timeframe} 的重播，不是 {wanted_symbol} {wanted_timeframe}："
                 "請使用另一個 --state 檔案，或相同的商品與時間週期",
        "zh-cn": "状态文件 {path} 保存的是 {symbol} {timeframe} 的重播，不是 {wanted_symbol} {wanted_timeframe}："
                 "请使用另一个 --state 文件，或相同的品种和时间周期",
    },
    "simsrv_state_bar_gone": {
        "en": "the state file's bar {bar} is not in the stored {symbol} {timeframe} data any more",
        "zh-tw": "狀態檔的K線 {bar} 已不在儲存的 {symbol} {timeframe} 資料中",
        "zh-cn": "状态文件的K线 {bar} 已不在保存的 {symbol} {timeframe} 数据中",
    },
    "simsrv_login_throttled": {
        "en": "Too many failed logins: try again in {seconds} s",
        "zh-tw": "登入失敗次數過多：請於 {seconds} 秒後再試",
        "zh-cn": "登录失败次数过多：请于 {seconds} 秒后再试",
    },
    "simsrv_auth_failed": {
        "en": "Authorization failed",
        "zh-tw": "驗證失敗",
        "zh-cn": "验证失败",
    },
    "simsrv_account_not_created": {
        "en": "the account could not be created (the server's state file failed)",
        "zh-tw": "無法建立帳戶（伺服器的狀態檔寫入失敗）",
        "zh-cn": "无法创建账户（服务器的状态文件写入失败）",
    },
    "simsrv_hash_format": {
        "en": "password_hash: expected 'scrypt$<salt hex>$<digest hex>' (make one with "
              "`python -m mas.live.simserver.passwords`)",
        "zh-tw": "password_hash：格式應為 'scrypt$<salt hex>$<digest hex>'（可用 "
                 "`python -m mas.live.simserver.passwords` 產生）",
        "zh-cn": "password_hash：格式应为 'scrypt$<salt hex>$<digest hex>'（可用 "
                 "`python -m mas.live.simserver.passwords` 生成）",
    },
    "simsrv_hash_hex": {
        "en": "password_hash: the salt and digest must be hexadecimal",
        "zh-tw": "password_hash：salt 與 digest 必須是十六進位",
        "zh-cn": "password_hash：salt 和 digest 必须是十六进制",
    },
    "simsrv_hash_length": {
        "en": "password_hash: the salt must be at least 8 bytes and the digest 32 bytes",
        "zh-tw": "password_hash：salt 至少 8 位元組，digest 必須是 32 位元組",
        "zh-cn": "password_hash：salt 至少 8 字节，digest 必须是 32 字节",
    },
    "simsrv_count": {
        "en": "{what} must be a whole number >= 0",
        "zh-tw": "{what} 必須是 >= 0 的整數",
        "zh-cn": "{what} 必须是 >= 0 的整数",
    },
    "wire_request_dict": {
        "en": "order_send/order_check need a request dict",
        "zh-tw": "order_send/order_check 需要 request 字典",
        "zh-cn": "order_send/order_check 需要 request 字典",
    },
    # ------------------------------------------------------------------ mas.live (wire, runner, bridges), mas.app
    "wire_dtype": {
        "en": "numpy arrays of dtype {dtype} do not cross the wire",
        "zh-tw": "dtype 為 {dtype} 的 numpy 陣列無法經由連線傳送",
        "zh-cn": "dtype 为 {dtype} 的 numpy 数组无法通过连接传送",
    },
    "wire_named_tuple": {
        "en": "named tuple {name} does not cross the wire",
        "zh-tw": "具名元組 {name} 無法經由連線傳送",
        "zh-cn": "具名元组 {name} 无法通过连接传送",
    },
    "wire_type": {
        "en": "values of type {kind} do not cross the wire",
        "zh-tw": "型別為 {kind} 的值無法經由連線傳送",
        "zh-cn": "类型为 {kind} 的值无法通过连接传送",
    },
    "wire_unexpected": {
        "en": "unexpected {kind} on the wire: only plain values are accepted",
        "zh-tw": "連線上出現非預期的 {kind}：只接受一般資料值",
        "zh-cn": "连接上出现意外的 {kind}：只接受普通数据值",
    },
    "wire_malformed": {
        "en": "malformed {what} on the wire",
        "zh-tw": "連線上的 {what} 格式錯誤",
        "zh-cn": "连接上的 {what} 格式错误",
    },
    "live_login_failed": {
        "en": "login with profile {profile} failed: {error}",
        "zh-tw": "以設定檔 {profile} 登入失敗：{error}",
        "zh-cn": "使用配置 {profile} 登录失败：{error}",
    },
    "live_symbol_not_offered": {
        "en": "{symbol} is not offered by {server} (or the terminal does not answer: {error})",
        "zh-tw": "{server} 未提供 {symbol}（或終端沒有回應：{error}）",
        "zh-cn": "{server} 未提供 {symbol}（或终端没有响应：{error}）",
    },
    "live_terminal_unreachable": {
        "en": "the terminal is unreachable",
        "zh-tw": "無法連線到終端",
        "zh-cn": "无法连接到终端",
    },
    "live_symbol_file_unreadable": {
        "en": "the symbol file cannot be read ({error})",
        "zh-tw": "無法讀取商品檔（{error}）",
        "zh-cn": "无法读取品种文件（{error}）",
    },
    "live_bridge_unreachable_at": {
        "en": "cannot reach the mt5linux bridge at {host}:{port} ({kind})",
        "zh-tw": "無法連線到位於 {host}:{port} 的 mt5linux 橋接程式（{kind}）",
        "zh-cn": "无法连接到位于 {host}:{port} 的 mt5linux 桥接程序（{kind}）",
    },
    "live_bridge_unreachable": {
        "en": "the mt5linux bridge is unreachable ({kind})",
        "zh-tw": "無法連線到 mt5linux 橋接程式（{kind}）",
        "zh-cn": "无法连接到 mt5linux 桥接程序（{kind}）",
    },
    "live_no_rpyc": {
        "en": "the rpyc package is not installed: pip install 'mas-sdk[server]'",
        "zh-tw": "未安裝 rpyc 套件：pip install 'mas-sdk[server]'",
        "zh-cn": "未安装 rpyc 包：pip install 'mas-sdk[server]'",
    },
    "live_sim_expects_tls": {
        "en": " or it expects TLS (use sims://)",
        "zh-tw": "，或它要求 TLS（請使用 sims://）",
        "zh-cn": "，或它要求 TLS（请使用 sims://）",
    },
    "live_sim_closed_at_once": {
        "en": "the sim server at {target} closed the connection at once: it has too many connections{hint}",
        "zh-tw": "位於 {target} 的模擬伺服器立即關閉了連線：連線數過多{hint}",
        "zh-cn": "位于 {target} 的模拟服务器立即关闭了连接：连接数过多{hint}",
    },
    "live_profile_error": {
        "en": "--profile: {error}",
        "zh-tw": "--profile：{error}",
        "zh-cn": "--profile：{error}",
    },
    "live_profile_unknown": {
        "en": "--profile: no broker profile {name!r} in {path} ({hint}); add one with 'mas broker add {name} ...'",
        "zh-tw": "--profile：{path} 中沒有券商設定檔 {name!r}（{hint}）；請以 'mas broker add {name} ...' 新增",
        "zh-cn": "--profile：{path} 中没有券商配置 {name!r}（{hint}）；请用 'mas broker add {name} ...' 添加",
    },
    "gbt_api_unknown_keys": {
        "en": "accounts: unknown key(s) {keys}; an account has name, deposit, leverage, currency and commission",
        "zh-tw": "accounts：未知的鍵 {keys}；帳戶可有 name、deposit、leverage、currency 與 commission",
        "zh-cn": "accounts：未知的键 {keys}；账户可有 name、deposit、leverage、currency 和 commission",
    },
    "gbt_api_no_name": {
        "en": "accounts: every account needs a name, e.g. {{'name': 'alice', 'deposit': 10000}}",
        "zh-tw": "accounts：每個帳戶都需要名稱，例如 {{'name': 'alice', 'deposit': 10000}}",
        "zh-cn": "accounts：每个账户都需要名称，例如 {{'name': 'alice', 'deposit': 10000}}",
    },
    "gbt_api_not_numbers": {
        "en": "accounts: {name}: deposit, leverage and commission must be numbers",
        "zh-tw": "accounts：{name}：deposit、leverage 與 commission 必須是數字",
        "zh-cn": "accounts：{name}：deposit、leverage 和 commission 必须是数字",
    },
    "gbt_api_bad_numbers": {
        "en": "accounts: {name}: the deposit must be above 0, the leverage at least 1 and the commission not negative",
        "zh-tw": "accounts：{name}：入金必須大於 0、槓桿至少為 1、手續費不可為負數",
        "zh-cn": "accounts：{name}：入金必须大于 0、杠杆至少为 1、手续费不能为负数",
    },
    "gbt_api_empty": {
        "en": "accounts: give at least one account",
        "zh-tw": "accounts：請至少指定一個帳戶",
        "zh-cn": "accounts：请至少指定一个账户",
    },
    "mt5_resolves_to_itself": {
        "en": "MetaTrader5 resolves to mas.mt5 itself",
        "zh-tw": "MetaTrader5 解析到的是 mas.mt5 本身",
        "zh-cn": "MetaTrader5 解析到的是 mas.mt5 本身",
    },
    "mt5_login_not_number": {
        "en": "login must be an account number, got {kind}",
        "zh-tw": "login 必須是帳號數字，收到 {kind}",
        "zh-cn": "login 必须是账号数字，收到 {kind}",
    },
}
