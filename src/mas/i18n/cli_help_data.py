"""The ``--help`` of ``mas data``, ``mas strategy`` and ``mas sim``: each command's description and each option's help,
key -> {language: template} (see :mod:`mas.i18n.cli_help`)."""

from __future__ import annotations

__all__ = ["HELP_DATA"]

HELP_DATA: dict[str, dict[str, str]] = {
    "help_cmd_data": {
        "en": "Import, download, list and check historical data.",
        "zh-tw": "匯入、下載、列出並檢查歷史資料。",
        "zh-cn": "导入、下载、列出并检查历史数据。",
    },
    "help_cmd_data_import": {
        "en": "Import a file of bars or ticks into the store (idempotent; the later import wins).",
        "zh-tw": "將K線或逐筆報價檔匯入資料庫（可重複執行；後匯入者為準）。",
        "zh-cn": "将K线或逐笔报价文件导入数据库（可重复运行；后导入者为准）。",
    },
    "help_data_import_file": {
        "en": "A file of bars or ticks (MT5 export, HistData, Dukascopy .bi5, CSV).",
        "zh-tw": "K線或逐筆報價檔（MT5 匯出、HistData、Dukascopy .bi5、CSV）。",
        "zh-cn": "K线或逐笔报价文件（MT5 导出、HistData、Dukascopy .bi5、CSV）。",
    },
    "help_data_import_symbol": {
        "en": "Symbol to store the data under, e.g. EURUSD.",
        "zh-tw": "資料儲存所用的商品名稱，例如 EURUSD。",
        "zh-cn": "数据保存所用的品种名称，例如 EURUSD。",
    },
    "help_data_import_timeframe": {
        "en": "Timeframe of a bar file: M1 ... MN1 (M1 files and tick files: optional).",
        "zh-tw": "K線檔的週期：M1 ... MN1（M1 檔與逐筆報價檔可省略）。",
        "zh-cn": "K线文件的周期：M1 ... MN1（M1 文件与逐笔报价文件可省略）。",
    },
    "help_data_import_file_format": {
        "en": "mt5|histdata|dukascopy|csv; detected from the file when left out.",
        "zh-tw": "mt5|histdata|dukascopy|csv；省略時由檔案判斷。",
        "zh-cn": "mt5|histdata|dukascopy|csv；省略时由文件判断。",
    },
    "help_data_import_tz_offset": {
        "en": "The file's offset from UTC in hours, subtracted from its stamps (e.g. 2 for a GMT+2 broker). Default: "
              "0, except HistData: -5 (fixed EST).",
        "zh-tw": "檔案相對 UTC 的時差（小時），會從其時間戳記中減去（例如 GMT+2 的券商為 2）。預設：0，HistData "
                 "例外：-5（固定 EST）。",
        "zh-cn": "文件相对 UTC 的时差（小时），会从其时间戳中减去（例如 GMT+2 的券商为 2）。默认：0，HistData "
                 "例外：-5（固定 EST）。",
    },
    "help_data_import_columns": {
        "en": "CSV column mapping, e.g. time=Date,open=Open,high=High,low=Low,close=Close.",
        "zh-tw": "CSV 欄位對應，例如 time=Date,open=Open,high=High,low=Low,close=Close。",
        "zh-cn": "CSV 字段对应，例如 time=Date,open=Open,high=High,low=Low,close=Close。",
    },
    "help_data_import_time_format": {
        "en": "CSV time format, e.g. '%d.%m.%Y %H:%M:%S', or unix / unix_ms (default ISO).",
        "zh-tw": "CSV 時間格式，例如 '%d.%m.%Y %H:%M:%S'，或 unix / unix_ms（預設 ISO）。",
        "zh-cn": "CSV 时间格式，例如 '%d.%m.%Y %H:%M:%S'，或 unix / unix_ms（默认 ISO）。",
    },
    "help_data_import_delimiter": {
        "en": "CSV delimiter (default: sniffed from the first line).",
        "zh-tw": "CSV 分隔字元（預設：由第一行判斷）。",
        "zh-cn": "CSV 分隔字符（默认：由第一行判断）。",
    },
    "help_data_import_price_side": {
        "en": "CSV bars: bid or ask prices.",
        "zh-tw": "CSV K線：bid 或 ask 報價。",
        "zh-cn": "CSV K线：bid 或 ask 报价。",
    },
    "help_data_import_digits": {
        "en": "Price decimals (default: the symbol's, else 5).",
        "zh-tw": "價格小數位數（預設：該商品的位數，否則 5）。",
        "zh-cn": "价格小数位数（默认：该品种的位数，否则 5）。",
    },
    "help_data_import_day": {
        "en": "Dukascopy file outside its folder tree: its day, YYYY-MM-DD.",
        "zh-tw": "不在其資料夾結構中的 Dukascopy 檔：其日期，YYYY-MM-DD。",
        "zh-cn": "不在其文件夹结构中的 Dukascopy 文件：其日期，YYYY-MM-DD。",
    },
    "help_data_import_force": {
        "en": "Store bars even when their times are not on the --timeframe grid.",
        "zh-tw": "即使K線時間不在 --timeframe 的格點上也照樣儲存。",
        "zh-cn": "即使K线时间不在 --timeframe 的格点上也照样保存。",
    },
    "help_cmd_data_download": {
        "en": "Download M1 bars or ticks into the store (cached, resumable; days without data are skipped).",
        "zh-tw": "將 M1 K線或逐筆報價下載到資料庫（有快取、可續傳；略過沒有資料的日子）。",
        "zh-cn": "将 M1 K线或逐笔报价下载到数据库（有缓存、可续传；跳过没有数据的日子）。",
    },
    "help_data_download_symbol": {
        "en": "Symbol as the source names it, e.g. EURUSD.",
        "zh-tw": "來源所用的商品名稱，例如 EURUSD。",
        "zh-cn": "来源所用的品种名称，例如 EURUSD。",
    },
    "help_data_download_source": {
        "en": "Where to download from: dukascopy, or mt5 (a terminal named by --profile).",
        "zh-tw": "下載來源：dukascopy，或 mt5（由 --profile 指定的終端）。",
        "zh-cn": "下载来源：dukascopy，或 mt5（由 --profile 指定的终端）。",
    },
    "help_data_download_date_from": {
        "en": "First day (UTC), YYYY-MM-DD.",
        "zh-tw": "第一天（UTC），YYYY-MM-DD。",
        "zh-cn": "第一天（UTC），YYYY-MM-DD。",
    },
    "help_data_download_date_to": {
        "en": "Last day (UTC, whole day included), YYYY-MM-DD.",
        "zh-tw": "最後一天（UTC，含整天），YYYY-MM-DD。",
        "zh-cn": "最后一天（UTC，含整天），YYYY-MM-DD。",
    },
    "help_data_download_timeframe": {
        "en": "Bars to download: M1 (the source's candles).",
        "zh-tw": "要下載的K線：M1（來源的K線）。",
        "zh-cn": "要下载的K线：M1（来源的K线）。",
    },
    "help_data_download_ticks": {
        "en": "Download ticks (stored with the M1 bars built from them).",
        "zh-tw": "下載逐筆報價（連同由其建立的 M1 K線一併儲存）。",
        "zh-cn": "下载逐笔报价（连同由其创建的 M1 K线一并保存）。",
    },
    "help_data_download_base_url": {
        "en": "Root of the datafeed tree.",
        "zh-tw": "資料源的根網址。",
        "zh-cn": "数据源的根网址。",
    },
    "help_data_download_workers": {
        "en": "Parallel downloads.",
        "zh-tw": "平行下載數。",
        "zh-cn": "并行下载数。",
    },
    "help_data_download_retries": {
        "en": "Retries per file, with exponential backoff.",
        "zh-tw": "每個檔案的重試次數，採指數退避。",
        "zh-cn": "每个文件的重试次数，采用指数退避。",
    },
    "help_data_download_digits": {
        "en": "Price decimals of the source (default: the symbol's).",
        "zh-tw": "來源價格的小數位數（預設：該商品的位數）。",
        "zh-cn": "来源价格的小数位数（默认：该品种的位数）。",
    },
    "help_data_download_profile": {
        "en": "--source mt5: the broker profile to log in with (mas broker add); the password comes from "
              "MAS_PASSWORD_<PROFILE> or the OS keyring.",
        "zh-tw": "--source mt5：登入所用的券商設定檔（mas broker add）；密碼取自 MAS_PASSWORD_<PROFILE> "
                 "或作業系統金鑰圈。",
        "zh-cn": "--source mt5：登录所用的券商配置（mas broker add）；密码取自 MAS_PASSWORD_<PROFILE> "
                 "或操作系统密钥环。",
    },
    "help_data_download_tz_offset": {
        "en": "--source mt5: the broker server's offset from UTC in hours.",
        "zh-tw": "--source mt5：券商伺服器相對 UTC 的時差（小時）。",
        "zh-cn": "--source mt5：券商服务器相对 UTC 的时差（小时）。",
    },
    "help_cmd_data_list": {
        "en": "List the stored bars (user store and bundled sample) and ticks, with their gaps.",
        "zh-tw": "列出已儲存的K線（使用者資料與內附範例資料）與逐筆報價，以及其缺口。",
        "zh-cn": "列出已保存的K线（用户数据与内置示例数据）与逐笔报价，以及其缺口。",
    },
    "help_data_list_min_gap": {
        "en": "Shortest missing open-market time counted as a gap, minutes.",
        "zh-tw": "計為缺口的最短缺少開市時間，以分鐘計。",
        "zh-cn": "计为缺口的最短缺少开市时间，以分钟计。",
    },
    "help_cmd_data_check": {
        "en": "Report gaps, duplicate or unordered stamps, and zero or inverted candles in stored data.\n\nAlso "
              "deletes the temp files that interrupted (killed) writes left in the symbol's folders.",
        "zh-tw": "回報已儲存資料中的缺口、重複或亂序的時間戳記，以及為零或顛倒的K線。\n\n也會刪除中斷（被終止）的寫入"
                 "在該商品資料夾中遺留的暫存檔。",
        "zh-cn": "报告已保存数据中的缺口、重复或乱序的时间戳，以及为零或颠倒的K线。\n\n也会删除中断（被终止）的写入在"
                 "该品种文件夹中遗留的临时文件。",
    },
    "help_data_check_symbol": {
        "en": "Symbol to check, e.g. EURUSD.",
        "zh-tw": "要檢查的商品，例如 EURUSD。",
        "zh-cn": "要检查的品种，例如 EURUSD。",
    },
    "help_data_check_timeframe": {
        "en": "Only this timeframe (default: every stored one).",
        "zh-tw": "只檢查此週期（預設：每個已儲存的週期）。",
        "zh-cn": "只检查此周期（默认：每个已保存的周期）。",
    },
    "help_data_check_ticks": {
        "en": "Check the stored ticks instead of bars.",
        "zh-tw": "檢查已儲存的逐筆報價，而非K線。",
        "zh-cn": "检查已保存的逐笔报价，而非K线。",
    },
    "help_data_check_min_gap": {
        "en": "Shortest missing open-market time reported as a gap, minutes.",
        "zh-tw": "回報為缺口的最短缺少開市時間，以分鐘計。",
        "zh-cn": "报告为缺口的最短缺少开市时间，以分钟计。",
    },
    "help_cmd_data_remove": {
        "en": "Delete stored bars and/or ticks of a symbol (everything of it when neither option is given).",
        "zh-tw": "刪除某商品已儲存的K線和/或逐筆報價（兩個選項都未指定時刪除其全部資料）。",
        "zh-cn": "删除某品种已保存的K线和/或逐笔报价（两个选项都未指定时删除其全部数据）。",
    },
    "help_data_remove_symbol": {
        "en": "Symbol whose stored data to delete, e.g. EURUSD.",
        "zh-tw": "要刪除其已儲存資料的商品，例如 EURUSD。",
        "zh-cn": "要删除其已保存数据的品种，例如 EURUSD。",
    },
    "help_data_remove_timeframe": {
        "en": "Only this timeframe's bars.",
        "zh-tw": "只刪除此週期的K線。",
        "zh-cn": "只删除此周期的K线。",
    },
    "help_data_remove_ticks": {
        "en": "The stored ticks (with --timeframe: both).",
        "zh-tw": "已儲存的逐筆報價（搭配 --timeframe：兩者都刪除）。",
        "zh-cn": "已保存的逐笔报价（搭配 --timeframe：两者都删除）。",
    },
    "help_cmd_strategy": {
        "en": "Text -> strategy: parse, explain, export; the spec schema.",
        "zh-tw": "文字 -> 策略：解析、說明、匯出；策略規格的 schema。",
        "zh-cn": "文字 -> 策略：解析、说明、导出；策略规格的 schema。",
    },
    "help_cmd_strategy_parse": {
        "en": "Parse a text into a validated spec; print it and a plain-language explanation.",
        "zh-tw": "將文字解析為經驗證的策略規格；印出規格與白話說明。",
        "zh-cn": "将文字解析为经验证的策略规格；打印规格与白话说明。",
    },
    "help_strategy_parse_text": {
        "en": "The strategy in words, e.g. \"buy when RSI(14) < 30, sell when RSI > 70\".",
        "zh-tw": "以文字描述的策略，例如 \"buy when RSI(14) < 30, sell when RSI > 70\"。",
        "zh-cn": "以文字描述的策略，例如 \"buy when RSI(14) < 30, sell when RSI > 70\"。",
    },
    "help_strategy_parse_output": {
        "en": "Write the spec JSON here.",
        "zh-tw": "將策略規格 JSON 寫入此檔。",
        "zh-cn": "将策略规格 JSON 写入此文件。",
    },
    "help_strategy_parse_lang": {
        "en": "Language of the explanation: en, zh-tw, zh-cn (default: the text's).",
        "zh-tw": "說明的語言：en、zh-tw、zh-cn（預設：與文字相同）。",
        "zh-cn": "说明的语言：en、zh-tw、zh-cn（默认：与文字相同）。",
    },
    "help_strategy_parse_llm": {
        "en": "Ask the LLM backend (MAS_LLM_* variables) instead of the parser.",
        "zh-tw": "改問 LLM 後端（MAS_LLM_* 變數），而非解析器。",
        "zh-cn": "改问 LLM 后端（MAS_LLM_* 变量），而非解析器。",
    },
    "help_strategy_parse_llm_fallback": {
        "en": "Ask the LLM only if the parser refuses.",
        "zh-tw": "只在解析器無法解析時才問 LLM。",
        "zh-cn": "只在解析器无法解析时才问 LLM。",
    },
    "help_cmd_strategy_explain": {
        "en": "Explain a spec file in plain words.",
        "zh-tw": "以白話說明策略規格檔。",
        "zh-cn": "以白话说明策略规格文件。",
    },
    "help_strategy_explain_spec_file": {
        "en": "A spec JSON file.",
        "zh-tw": "策略規格 JSON 檔。",
        "zh-cn": "策略规格 JSON 文件。",
    },
    "help_strategy_explain_lang": {
        "en": "en, zh-tw or zh-cn (default: mas --lang, else $MAS_LANG, else en).",
        "zh-tw": "en、zh-tw 或 zh-cn（預設：mas --lang，否則 $MAS_LANG，否則 en）。",
        "zh-cn": "en、zh-tw 或 zh-cn（默认：mas --lang，否则 $MAS_LANG，否则 en）。",
    },
    "help_cmd_strategy_schema": {
        "en": "Print (or write) the JSON schema of strategy specs.",
        "zh-tw": "印出（或寫入）策略規格的 JSON schema。",
        "zh-cn": "打印（或写入）策略规格的 JSON schema。",
    },
    "help_strategy_schema_output": {
        "en": "Write the schema here.",
        "zh-tw": "將 schema 寫入此檔。",
        "zh-cn": "将 schema 写入此文件。",
    },
    "help_cmd_strategy_export": {
        "en": "Write a readable standalone program (on the public mas API) that trades the spec.",
        "zh-tw": "寫出一個可讀的獨立程式（使用公開的 mas API）來交易此策略規格。",
        "zh-cn": "写出一个可读的独立程序（使用公开的 mas API）来交易此策略规格。",
    },
    "help_strategy_export_target": {
        "en": "A spec JSON file or a quoted text.",
        "zh-tw": "策略規格 JSON 檔，或加引號的文字。",
        "zh-cn": "策略规格 JSON 文件，或加引号的文字。",
    },
    "help_strategy_export_output": {
        "en": "The program file to write, e.g. strategy.py.",
        "zh-tw": "要寫出的程式檔，例如 strategy.py。",
        "zh-cn": "要写出的程序文件，例如 strategy.py。",
    },
    "help_strategy_export_symbol": {
        "en": "Symbol (default: the spec's, else EURUSD).",
        "zh-tw": "商品（預設：規格中的商品，否則 EURUSD）。",
        "zh-cn": "品种（默认：规格中的品种，否则 EURUSD）。",
    },
    "help_strategy_export_timeframe": {
        "en": "Timeframe (default: the spec's, else H1).",
        "zh-tw": "週期（預設：規格中的週期，否則 H1）。",
        "zh-cn": "周期（默认：规格中的周期，否则 H1）。",
    },
    "help_strategy_export_date_from": {
        "en": "First day of the backtest.",
        "zh-tw": "回測的第一天。",
        "zh-cn": "回测的第一天。",
    },
    "help_strategy_export_date_to": {
        "en": "Last day of the backtest.",
        "zh-tw": "回測的最後一天。",
        "zh-cn": "回测的最后一天。",
    },
    "help_strategy_export_capital": {
        "en": "Initial capital of the backtest.",
        "zh-tw": "回測的初始資金。",
        "zh-cn": "回测的初始资金。",
    },
    "help_strategy_export_live": {
        "en": "Write BACKTEST = False: the program trades your MT5 account.",
        "zh-tw": "寫入 BACKTEST = False：程式會交易您的 MT5 帳戶。",
        "zh-cn": "写入 BACKTEST = False：程序会交易您的 MT5 账户。",
    },
    "help_strategy_export_profile": {
        "en": "Broker profile the program logs in with (mas broker add); its password stays in the environment or "
              "the keyring.",
        "zh-tw": "程式登入所用的券商設定檔（mas broker add）；密碼保留在環境變數或金鑰圈中。",
        "zh-cn": "程序登录所用的券商配置（mas broker add）；密码保留在环境变量或密钥环中。",
    },
    "help_strategy_export_exe": {
        "en": "Also build a single-file executable with PyInstaller.",
        "zh-tw": "另外以 PyInstaller 建置單一檔案的執行檔。",
        "zh-cn": "另外以 PyInstaller 构建单文件的可执行文件。",
    },
    "help_cmd_sim": {
        "en": "The simulated MT5 server (paper trading, live-path tests).",
        "zh-tw": "模擬的 MT5 伺服器（模擬交易、實盤路徑測試）。",
        "zh-cn": "模拟的 MT5 服务器（模拟交易、实盘路径测试）。",
    },
    "help_cmd_sim_serve": {
        "en": "Replay stored bars on a wall clock and serve the MetaTrader5 functions over RPyC.",
        "zh-tw": "依實際時鐘重播已儲存的K線，並透過 RPyC 提供 MetaTrader5 的函式。",
        "zh-cn": "依实际时钟重播已保存的K线，并通过 RPyC 提供 MetaTrader5 的函数。",
    },
    "help_sim_serve_port": {
        "en": "TCP port (0 = any free port; the chosen one is printed).",
        "zh-tw": "TCP 連接埠（0 = 任一可用連接埠；會印出所選的連接埠）。",
        "zh-cn": "TCP 端口（0 = 任一可用端口；会打印所选的端口）。",
    },
    "help_sim_serve_host": {
        "en": "Address to listen on. Loopback by default: without --tls-cert passwords would cross the network in "
              "clear.",
        "zh-tw": "監聽位址。預設為本機迴路：若無 --tls-cert，密碼會以明文在網路上傳送。",
        "zh-cn": "监听地址。默认为本机回路：若无 --tls-cert，密码会以明文在网络上发送。",
    },
    "help_sim_serve_symbol": {
        "en": "Symbol to replay from the data store.",
        "zh-tw": "要從資料庫重播的商品。",
        "zh-cn": "要从数据库重播的品种。",
    },
    "help_sim_serve_timeframe": {
        "en": "Timeframe of the replayed bars.",
        "zh-tw": "重播K線的週期。",
        "zh-cn": "重播K线的周期。",
    },
    "help_sim_serve_start": {
        "en": "Replay start date, YYYY-MM-DD (ignored when --state resumes).",
        "zh-tw": "重播開始日期，YYYY-MM-DD（以 --state 續跑時忽略）。",
        "zh-cn": "重播开始日期，YYYY-MM-DD（以 --state 续跑时忽略）。",
    },
    "help_sim_serve_speed": {
        "en": "Market seconds per real second (3600 = one H1 bar a second).",
        "zh-tw": "每一實際秒對應的市場秒數（3600 = 每秒一根 H1 K線）。",
        "zh-cn": "每一实际秒对应的市场秒数（3600 = 每秒一根 H1 K线）。",
    },
    "help_sim_serve_capital": {
        "en": "Initial deposit of accounts created by --allow-new-accounts.",
        "zh-tw": "以 --allow-new-accounts 建立的帳戶之初始入金。",
        "zh-cn": "以 --allow-new-accounts 创建的账户之初始入金。",
    },
    "help_sim_serve_state": {
        "en": "SQLite state file: accounts, orders, deals and positions survive a restart. Without it everything is "
              "in memory.",
        "zh-tw": "SQLite 狀態檔：帳戶、訂單、成交與部位在重新啟動後仍保留。沒有它時一切都只在記憶體中。",
        "zh-cn": "SQLite 状态文件：账户、订单、成交与持仓在重新启动后仍保留。没有它时一切都只在内存中。",
    },
    "help_sim_serve_server_name": {
        "en": "Server name reported in account_info.",
        "zh-tw": "在 account_info 中回報的伺服器名稱。",
        "zh-cn": "在 account_info 中报告的服务器名称。",
    },
    "help_sim_serve_accounts": {
        "en": "Accounts file (TOML or JSON): login, password_hash, balance, currency, leverage per account (see "
              "docs/live.md).",
        "zh-tw": "帳戶檔（TOML 或 JSON）：每個帳戶的 login、password_hash、balance、currency、leverage（見 "
                 "docs/live.md）。",
        "zh-cn": "账户文件（TOML 或 JSON）：每个账户的 login、password_hash、balance、currency、leverage（见 "
                 "docs/live.md）。",
    },
    "help_sim_serve_allow_new_accounts": {
        "en": "Paper trading: any unknown login creates an account with --capital. Off by default: only listed or "
              "saved accounts log in.",
        "zh-tw": "模擬交易：任何未知的登入帳號都會以 --capital 建立帳戶。預設關閉：只有列出或已儲存的帳戶能登入。",
        "zh-cn": "模拟交易：任何未知的登录账号都会以 --capital 创建账户。默认关闭：只有列出或已保存的账户能登录。",
    },
    "help_sim_serve_max_connections": {
        "en": "Most connections open at once.",
        "zh-tw": "同時開啟的連線上限。",
        "zh-cn": "同时打开的连接上限。",
    },
    "help_sim_serve_max_connections_per_peer": {
        "en": "Most connections open at once from one address.",
        "zh-tw": "來自同一位址的同時連線上限。",
        "zh-cn": "来自同一地址的同时连接上限。",
    },
    "help_sim_serve_max_login_failures": {
        "en": "Failed logins per account in 5 minutes before its logins are refused for a while (per address: 4x).",
        "zh-tw": "每個帳戶 5 分鐘內的登入失敗次數上限，超過後其登入會暫時被拒（每個位址：4 倍）。",
        "zh-cn": "每个账户 5 分钟内的登录失败次数上限，超过后其登录会暂时被拒（每个地址：4 倍）。",
    },
    "help_sim_serve_tls_cert": {
        "en": "TLS certificate (PEM): clients connect with sims://host:port.",
        "zh-tw": "TLS 憑證（PEM）：用戶端以 sims://host:port 連線。",
        "zh-cn": "TLS 证书（PEM）：客户端以 sims://host:port 连接。",
    },
    "help_sim_serve_tls_key": {
        "en": "Private key (PEM) of --tls-cert.",
        "zh-tw": "--tls-cert 的私密金鑰（PEM）。",
        "zh-cn": "--tls-cert 的私钥（PEM）。",
    },
}
