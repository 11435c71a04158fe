"""Error message catalog of the web app (mas.web): key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated.
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    # ---- the data page (mas.web.datastore): WEB15A
    "web_data_no_bars": {
        "en": "symbol: no bars of {name} are stored (stored: {listed}); import a file or download them first",
        "zh-tw": "symbol：未儲存 {name} 的 K 線（已儲存：{listed}）；請先匯入檔案或下載",
        "zh-cn": "symbol：未存储 {name} 的 K 线（已存储：{listed}）；请先导入文件或下载",
    },
    "web_data_nothing": {"en": "nothing", "zh-tw": "無", "zh-cn": "无"},
    "web_data_remove_what": {
        "en": "timeframe: name the timeframe of {symbol} to remove, or ticks=true for its ticks",
        "zh-tw": "timeframe：請指定要刪除的 {symbol} 週期，或以 ticks=true 刪除其逐筆報價",
        "zh-cn": "timeframe：请指定要删除的 {symbol} 周期，或以 ticks=true 删除其逐笔报价",
    },
    "web_data_to_before_from": {
        "en": "to: {last} is before from: {first}",
        "zh-tw": "to：{last} 早於 from：{first}",
        "zh-cn": "to：{last} 早于 from：{first}",
    },
    "web_data_profile_no_login": {
        "en": "profile: {profile} has no login; re-add it with one",
        "zh-tw": "profile：{profile} 沒有登入帳號；請重新加入並填寫帳號",
        "zh-cn": "profile：{profile} 没有登录账号；请重新添加并填写账号",
    },
    "web_data_profile_login_failed": {
        "en": "profile: {profile}: login failed: {reason}",
        "zh-tw": "profile：{profile}：登入失敗：{reason}",
        "zh-cn": "profile：{profile}：登录失败：{reason}",
    },
    "web_data_no_download": {
        "en": "no download {ident}",
        "zh-tw": "沒有下載 {ident}",
        "zh-cn": "没有下载 {ident}",
    },
    # ---- brokers and live (mas.web.live, mas.web.accounts, mas.app.live.open_account): WEB15A
    "web_live_login_failed": {
        "en": "profile: {profile}: {reason}",
        "zh-tw": "profile：{profile}：{reason}",
        "zh-cn": "profile：{profile}：{reason}",
    },
    "web_live_no_account_info": {
        "en": "profile: {name}: logged in, but the terminal gave no account information",
        "zh-tw": "profile：{name}：已登入，但終端沒有提供帳戶資訊",
        "zh-cn": "profile：{name}：已登录，但终端没有提供账户信息",
    },
    "web_live_profile_exists": {
        "en": "name: a profile {name} exists already; remove it first or pick another name",
        "zh-tw": "name：設定檔 {name} 已存在；請先移除它或改用其他名稱",
        "zh-cn": "name：配置文件 {name} 已存在；请先移除它或改用其他名称",
    },
    "web_live_confirm_start": {
        "en": "confirm: starting a live run must be confirmed (send confirm: true after asking)",
        "zh-tw": "confirm：開始實盤交易必須先確認（詢問後送出 confirm: true）",
        "zh-cn": "confirm：开始实盘交易必须先确认（询问后发送 confirm: true）",
    },
    "web_live_profile_busy": {
        "en": "profile: {profile} already runs {label}; stop it first",
        "zh-tw": "profile：{profile} 已在執行 {label}；請先停止它",
        "zh-cn": "profile：{profile} 已在运行 {label}；请先停止它",
    },
    "web_live_no_run": {
        "en": "no live run {ident}",
        "zh-tw": "沒有實盤執行 {ident}",
        "zh-cn": "没有实盘运行 {ident}",
    },
    "web_live_confirm_close": {
        "en": "confirm: closing a position must be confirmed (send confirm: true after asking)",
        "zh-tw": "confirm：平倉必須先確認（詢問後送出 confirm: true）",
        "zh-cn": "confirm：平仓必须先确认（询问后发送 confirm: true）",
    },
    "web_live_run_not_running": {
        "en": "run: {label} is not running; its positions stay on the account",
        "zh-tw": "run：{label} 未在執行；其持倉仍留在帳戶上",
        "zh-cn": "run：{label} 未在运行；其持仓仍留在账户上",
    },
    "web_live_no_position": {
        "en": "ticket: no open position {ticket} on the account",
        "zh-tw": "ticket：帳戶上沒有未平倉部位 {ticket}",
        "zh-cn": "ticket：账户上没有未平仓头寸 {ticket}",
    },
    "web_live_close_refused": {
        "en": "ticket: the broker refused to close {ticket} ({code}: {message})",
        "zh-tw": "ticket：券商拒絕平倉 {ticket}（{code}：{message}）",
        "zh-cn": "ticket：券商拒绝平仓 {ticket}（{code}：{message}）",
    },
    "web_live_no_active": {
        "en": "account: no active account; switch to a broker profile first",
        "zh-tw": "account：沒有使用中的帳戶；請先切換到一個券商設定檔",
        "zh-cn": "account：没有使用中的账户；请先切换到一个券商配置文件",
    },
    # ---- the web app's strategies, backtests, sweeps, uploads, store and server (mas.web): WEB15B
    "web_app_not_builtin": {
        "en": "strategy.name: {name!r} is not a built-in ({names})",
        "zh-tw": "strategy.name：{name!r} 不是內建策略（{names}）",
        "zh-cn": "strategy.name：{name!r} 不是内置策略（{names}）",
    },
    "web_app_params_invalid": {
        "en": "params: {reason}",
        "zh-tw": "params：{reason}",
        "zh-cn": "params：{reason}",
    },
    "web_app_param_not_number": {
        "en": "params.{name}: {value!r} is not a number; give START:STOP:STEP (e.g. 5:50:5) or a list of numbers",
        "zh-tw": "params.{name}：{value!r} 不是數字；請填 START:STOP:STEP（例如 5:50:5）或一串數字",
        "zh-cn": "params.{name}：{value!r} 不是数字；请填 START:STOP:STEP（例如 5:50:5）或一串数字",
    },
    "web_app_metric_unknown": {
        "en": "metric: {value!r} is not a metric ({names})",
        "zh-tw": "metric：{value!r} 不是績效指標（{names}）",
        "zh-cn": "metric：{value!r} 不是绩效指标（{names}）",
    },
    "web_app_wf_length": {
        "en": "walk_forward.{name}: {reason}",
        "zh-tw": "walk_forward.{name}：{reason}",
        "zh-cn": "walk_forward.{name}：{reason}",
    },
    "web_app_grid_too_big": {
        "en": "params: the grid has {size:,} sets, more than {limit:,}; narrow the ranges or use the random method "
              "with a number of trials",
        "zh-tw": "params：網格有 {size:,} 組參數，超過 {limit:,} 組；請縮小範圍，或改用隨機搜尋並指定次數",
        "zh-cn": "params：网格有 {size:,} 组参数，超过 {limit:,} 组；请缩小范围，或改用随机搜索并指定次数",
    },
    "web_app_upload_missing": {
        "en": "strategy.id: no uploaded strategy file {ident!r}; upload the .py file again",
        "zh-tw": "strategy.id：沒有已上傳的策略檔 {ident!r}；請重新上傳 .py 檔",
        "zh-cn": "strategy.id：没有已上传的策略文件 {ident!r}；请重新上传 .py 文件",
    },
    "web_app_upload_not_py": {
        "en": "file: {name!r} is not a Python file (.py); a spec is opened as .json, a text typed in",
        "zh-tw": "file：{name!r} 不是 Python 檔（.py）；規格請以 .json 開啟，文字請直接輸入",
        "zh-cn": "file：{name!r} 不是 Python 文件（.py）；规格请以 .json 打开，文字请直接输入",
    },
    "web_app_upload_too_big": {
        "en": "file: {size:,} bytes is over the {limit:,}-byte limit of a strategy file",
        "zh-tw": "file：{size:,} 位元組超過策略檔 {limit:,} 位元組的上限",
        "zh-cn": "file：{size:,} 字节超过策略文件 {limit:,} 字节的上限",
    },
    "web_app_upload_not_utf8": {
        "en": "file: {name} is not UTF-8 text (byte {byte})",
        "zh-tw": "file：{name} 不是 UTF-8 文字（第 {byte} 個位元組）",
        "zh-cn": "file：{name} 不是 UTF-8 文本（第 {byte} 个字节）",
    },
    "web_app_upload_syntax": {
        "en": "file: {name}:{line}: {reason}",
        "zh-tw": "file：{name}:{line}：{reason}",
        "zh-cn": "file：{name}:{line}：{reason}",
    },
    "web_app_upload_no_class": {
        "en": "file: {name} defines no class; a strategy file defines one MAS subclass (class MyStrategy(MAS): ... "
              "def receive_bars(self, symbol, data, is_end): ...)",
        "zh-tw": "file：{name} 沒有定義任何類別；策略檔須定義一個 MAS 子類別（class MyStrategy(MAS): ... "
                 "def receive_bars(self, symbol, data, is_end): ...）",
        "zh-cn": "file：{name} 没有定义任何类；策略文件须定义一个 MAS 子类（class MyStrategy(MAS): ... "
                 "def receive_bars(self, symbol, data, is_end): ...）",
    },
    "web_app_not_date": {
        "en": "{name}: {day} is not a date (YYYY-MM-DD)",
        "zh-tw": "{name}：{day} 不是日期（YYYY-MM-DD）",
        "zh-cn": "{name}：{day} 不是日期（YYYY-MM-DD）",
    },
    "web_app_range_order": {
        "en": "from: {start} is after to ({end})",
        "zh-tw": "from：{start} 晚於 to（{end}）",
        "zh-cn": "from：{start} 晚于 to（{end}）",
    },
    "web_app_interrupted": {
        "en": "the app stopped before this run finished; run it again",
        "zh-tw": "此次執行尚未完成，應用程式就已停止；請再執行一次",
        "zh-cn": "此次运行尚未完成，应用程序就已停止；请再运行一次",
    },
    "web_app_trials_needed": {
        "en": "trials: the random method needs a number of trials",
        "zh-tw": "trials：隨機搜尋需要指定次數",
        "zh-cn": "trials：随机搜索需要指定次数",
    },
    "web_app_no_bars": {
        "en": "the backtest replayed no bars",
        "zh-tw": "回測沒有重播任何 K 線",
        "zh-cn": "回测没有重播任何 K 线",
    },
    "web_app_export_kinds": {
        "en": "strategy: only a text, a spec or a built-in can be exported as a program",
        "zh-tw": "strategy：只有文字、規格或內建策略能匯出為程式",
        "zh-cn": "strategy：只有文字、规格或内置策略能导出为程序",
    },
    "web_app_fast_needs_spec": {
        "en": "engine: the fast path runs spec strategies, text strategies and the built-ins",
        "zh-tw": "engine：快速路徑只執行規格策略、文字策略與內建策略",
        "zh-cn": "engine：快速路径只运行规格策略、文字策略与内置策略",
    },
    "web_app_db_unusable": {
        "en": "{path}: not a usable SQLite database ({reason}); move it aside (the app then starts with an empty "
              "library and run list) or restore a backup",
        "zh-tw": "{path}：不是可用的 SQLite 資料庫（{reason}）；請將它移開（應用程式會以空的策略庫與執行清單啟動），"
                 "或還原備份",
        "zh-cn": "{path}：不是可用的 SQLite 数据库（{reason}）；请将它移开（应用程序会以空的策略库与运行列表启动），"
                 "或恢复备份",
    },
    "web_app_db_newer": {
        "en": "{path}: written by a newer mas (schema {version}, this one reads {supported}); upgrade mas-sdk or set "
              "MAS_HOME to another folder",
        "zh-tw": "{path}：由較新版的 mas 寫入（結構版本 {version}，此版本讀取 {supported}）；請升級 mas-sdk，"
                 "或將 MAS_HOME 設為其他資料夾",
        "zh-cn": "{path}：由较新版的 mas 写入（结构版本 {version}，此版本读取 {supported}）；请升级 mas-sdk，"
                 "或将 MAS_HOME 设为其他文件夹",
    },
    "web_app_db_foreign": {
        "en": "{path}: an SQLite file that is not the web app's (no schema version); move it aside",
        "zh-tw": "{path}：這個 SQLite 檔不屬於網頁應用程式（沒有結構版本）；請將它移開",
        "zh-cn": "{path}：这个 SQLite 文件不属于网页应用程序（没有结构版本）；请将它移开",
    },
    "web_app_worker_died": {
        "en": "the worker process ended without a result (exit code {code})",
        "zh-tw": "工作行程未產生結果就結束了（結束代碼 {code}）",
        "zh-cn": "工作进程未产生结果就结束了（退出代码 {code}）",
    },
    "web_app_password_short": {
        "en": "--password / {env}: use at least {count} characters",
        "zh-tw": "--password / {env}：至少需要 {count} 個字元",
        "zh-cn": "--password / {env}：至少需要 {count} 个字符",
    },
    "web_app_bind_needs_password": {
        "en": "--host {host}: listening on an address other than 127.0.0.1 lets other machines reach the app; set a "
              "password with {env}=... (or --password), or keep the default --host 127.0.0.1",
        "zh-tw": "--host {host}：在 127.0.0.1 以外的位址監聽會讓其他機器連到應用程式；請以 {env}=...（或 --password）"
                 "設定密碼，或保留預設的 --host 127.0.0.1",
        "zh-cn": "--host {host}：在 127.0.0.1 以外的地址监听会让其他机器连到应用程序；请以 {env}=...（或 --password）"
                 "设置密码，或保留默认的 --host 127.0.0.1",
    },
    "web_app_no_plotly": {
        "en": "{path}: the plotly package has no bundled plotly.min.js; reinstall plotly",
        "zh-tw": "{path}：plotly 套件沒有附帶 plotly.min.js；請重新安裝 plotly",
        "zh-cn": "{path}：plotly 包没有附带 plotly.min.js；请重新安装 plotly",
    },
    "web_app_port_invalid": {
        "en": "--port: {port} is not a port (0-65535; 0 = any free one)",
        "zh-tw": "--port：{port} 不是連接埠（0-65535；0 = 任一空閒的）",
        "zh-cn": "--port：{port} 不是端口（0-65535；0 = 任一空闲的）",
    },
    "web_app_cannot_listen": {
        "en": "--host {host} --port {port}: cannot listen there ({reason}); pick another --port (0 = any free one)",
        "zh-tw": "--host {host} --port {port}：無法在此監聽（{reason}）；請換一個 --port（0 = 任一空閒的）",
        "zh-cn": "--host {host} --port {port}：无法在此监听（{reason}）；请换一个 --port（0 = 任一空闲的）",
    },
    "web_app_exe_missing": {
        "en": "building an executable needs PyInstaller: {install}",
        "zh-tw": "建置執行檔需要 PyInstaller：{install}",
        "zh-cn": "构建可执行文件需要 PyInstaller：{install}",
    },
    # ------------------------------------------------------------------ the trade chart API (mas.web.charts)
    "web_chart_not_time": {
        "en": "{field}: {value!r} is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)",
        "zh-tw": "{field}：{value!r} 不是時間（YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS）",
        "zh-cn": "{field}：{value!r} 不是时间（YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS）",
    },
    "web_chart_points": {
        "en": "points: expected 10 to {most}, got {value}",
        "zh-tw": "points：應為 10 至 {most}，收到 {value}",
        "zh-cn": "points：应为 10 至 {most}，收到 {value}",
    },
    "web_chart_start_after_end": {
        "en": "start: {start} is after end ({end})",
        "zh-tw": "start：{start} 晚於 end（{end}）",
        "zh-cn": "start：{start} 晚于 end（{end}）",
    },
    # ------------------------------------------------------------------ HTTP refusals (mas.web.language.refused)
    "web_http_no_password": {
        "en": "this server has no password: open the URL with the token that 'mas ui' printed",
        "zh-tw": "此伺服器沒有設定密碼：請開啟 'mas ui' 印出、帶有權杖的網址",
        "zh-cn": "此服务器没有设置密码：请打开 'mas ui' 打印的、带有令牌的网址",
    },
    "web_http_too_many_logins": {
        "en": "too many failed logins: wait a minute and try again",
        "zh-tw": "登入失敗次數過多：請等一分鐘再試",
        "zh-cn": "登录失败次数过多：请等一分钟再试",
    },
    "web_http_wrong_password": {"en": "wrong password", "zh-tw": "密碼錯誤", "zh-cn": "密码错误"},
    "web_http_strategy_file_too_big": {
        "en": "file: over the {limit:,}-byte limit of a strategy file",
        "zh-tw": "file：超過策略檔 {limit:,} 位元組的上限",
        "zh-cn": "file：超过策略文件 {limit:,} 字节的上限",
    },
    "web_http_no_strategy": {"en": "no saved strategy {ident}", "zh-tw": "沒有已儲存的策略 {ident}",
                             "zh-cn": "没有已保存的策略 {ident}"},
    "web_http_no_run": {"en": "no run {ident}", "zh-tw": "沒有回測 {ident}", "zh-cn": "没有回测 {ident}"},
    "web_http_run_busy": {
        "en": "the run is still queued or running: cancel it first",
        "zh-tw": "此回測仍在排隊或執行中：請先取消",
        "zh-cn": "此回测仍在排队或运行中：请先取消",
    },
    "web_http_run_no_result": {
        "en": "run {ident} has no result ({state})",
        "zh-tw": "回測 {ident} 沒有結果（{state}）",
        "zh-cn": "回测 {ident} 没有结果（{state}）",
    },
    "web_http_upload_declared_too_big": {
        "en": "file: {size:,} bytes is over the {limit:,}-byte upload limit; import it with "
              "'mas data import FILE --symbol {symbol}' instead",
        "zh-tw": "file：{size:,} 位元組超過 {limit:,} 位元組的上傳上限；"
                 "請改用 'mas data import FILE --symbol {symbol}' 匯入",
        "zh-cn": "file：{size:,} 字节超过 {limit:,} 字节的上传上限；"
                 "请改用 'mas data import FILE --symbol {symbol}' 导入",
    },
    "web_http_upload_too_big": {
        "en": "file: over the {limit:,}-byte upload limit; import it with 'mas data import FILE --symbol {symbol}' "
              "instead",
        "zh-tw": "file：超過 {limit:,} 位元組的上傳上限；請改用 'mas data import FILE --symbol {symbol}' 匯入",
        "zh-cn": "file：超过 {limit:,} 字节的上传上限；请改用 'mas data import FILE --symbol {symbol}' 导入",
    },
    "web_http_upload_empty": {
        "en": "file: the upload is empty; pick a file of bars or ticks",
        "zh-tw": "file：上傳的檔案是空的；請選擇 K 棒或 tick 的檔案",
        "zh-cn": "file：上传的文件是空的；请选择 K 线或 tick 的文件",
    },
    "web_http_no_build": {"en": "no executable build {ident}", "zh-tw": "沒有執行檔建置 {ident}",
                          "zh-cn": "没有可执行文件构建 {ident}"},
    "web_http_build_no_file": {
        "en": "executable build {ident} has no file (yet)",
        "zh-tw": "執行檔建置 {ident}（尚）沒有檔案",
        "zh-cn": "可执行文件构建 {ident}（尚）没有文件",
    },
    "web_http_no_profile": {"en": "no broker profile {name}", "zh-tw": "沒有券商設定檔 {name}",
                            "zh-cn": "没有券商配置 {name}"},
    "web_http_no_sweep": {"en": "no optimization {ident}", "zh-tw": "沒有最佳化 {ident}", "zh-cn": "没有优化 {ident}"},
    "web_http_sweep_busy": {
        "en": "optimization {ident} is still running: cancel it first",
        "zh-tw": "最佳化 {ident} 仍在執行中：請先取消",
        "zh-cn": "优化 {ident} 仍在运行中：请先取消",
    },
}
