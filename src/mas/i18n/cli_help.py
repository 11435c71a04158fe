"""The ``mas`` command's ``--help``: every command's description, every option's help, the examples and typer's
labels (usage, panel titles, ``[default: ...]``), key -> {language: template}.

The English text of each key is the one the command declares (a docstring or ``help=``), so that the English
help stays as written; :mod:`mas.cli.help` finds a help text's key by its English text and shows the text in
the command's language. The descriptions and options of ``mas data``, ``strategy`` and ``sim`` are in
:mod:`mas.i18n.cli_help_data`, those of ``mas broker``, ``mt5``, ``symbols`` and ``copy`` in
:mod:`mas.i18n.cli_help_accounts`; :data:`CLI_HELP` holds all three.
"""

from __future__ import annotations

from mas.i18n.cli_help_accounts import HELP_ACCOUNTS
from mas.i18n.cli_help_data import HELP_DATA

__all__ = ["CLI_HELP", "HELP_LABELS"]

HELP_LABELS: dict[str, dict[str, str]] = {
    "help_usage": {"en": "Usage: ", "zh-tw": "用法：", "zh-cn": "用法："},
    "help_arguments": {"en": "Arguments", "zh-tw": "引數", "zh-cn": "参数"},
    "help_options": {"en": "Options", "zh-tw": "選項", "zh-cn": "选项"},
    "help_commands": {"en": "Commands", "zh-tw": "命令", "zh-cn": "命令"},
    "help_default": {"en": "[default: {value}]", "zh-tw": "[預設：{value}]", "zh-cn": "[默认：{value}]"},
    "help_env_var": {"en": "[env var: {value}]", "zh-tw": "[環境變數：{value}]", "zh-cn": "[环境变量：{value}]"},
    "help_required": {"en": "[required]", "zh-tw": "[必填]", "zh-cn": "[必填]"},
    "help_deprecated": {"en": "(deprecated) ", "zh-tw": "（已停用）", "zh-cn": "（已弃用）"},
    "help_example": {"en": "Example: {example}", "zh-tw": "範例：{example}", "zh-cn": "示例：{example}"},
}
"""typer's and click's own words in ``--help`` (the usage line, the panels' titles, the notes after a help)."""

_HELP_MAIN: dict[str, dict[str, str]] = {
    "help_cmd_mas": {
        "en": "MAS-compatible forex margin-trading SDK: backtests, reports and data.",
        "zh-tw": "相容 MAS 的外匯保證金交易 SDK：回測、報告與資料。",
        "zh-cn": "兼容 MAS 的外汇保证金交易 SDK：回测、报告与数据。",
    },
    "help_version": {
        "en": "Show the version and exit.",
        "zh-tw": "顯示版本後結束。",
        "zh-cn": "显示版本后结束。",
    },
    "help_lang": {
        "en": "Language of messages and errors: en, zh-tw or zh-cn (default: $MAS_LANG, else en).",
        "zh-tw": "訊息與錯誤的語言：en、zh-tw 或 zh-cn（預設：$MAS_LANG，否則 en）。",
        "zh-cn": "消息与错误的语言：en、zh-tw 或 zh-cn（默认：$MAS_LANG，否则 en）。",
    },
    "help_ex_mas": {
        "en": "mas demo, then mas backtest my_strategy.py --from 2017-01-01 --to 2017-12-31 (mas COMMAND --help for "
              "more)",
        "zh-tw": "mas demo，接著 mas backtest my_strategy.py --from 2017-01-01 --to 2017-12-31（更多說明：mas "
                 "COMMAND --help）",
        "zh-cn": "mas demo，接着 mas backtest my_strategy.py --from 2017-01-01 --to 2017-12-31（更多说明：mas "
                 "COMMAND --help）",
    },
    "help_cmd_demo": {
        "en": "Backtest the docs' MA-cross strategy (SMA 5/20) on the bundled EURUSD H1 2017 sample.",
        "zh-tw": "以內附的 EURUSD H1 2017 範例資料回測文件中的均線交叉策略（SMA 5/20）。",
        "zh-cn": "以内置的 EURUSD H1 2017 示例数据回测文档中的均线交叉策略（SMA 5/20）。",
    },
    "help_demo_report_dir": {
        "en": "Where the HTML reports go.",
        "zh-tw": "HTML 報告的輸出位置。",
        "zh-cn": "HTML 报告的输出位置。",
    },
    "help_cmd_backtest": {
        "en": "Backtest a strategy on stored data and print its metrics.",
        "zh-tw": "以已儲存的資料回測策略並印出績效指標。",
        "zh-cn": "用已保存的数据回测策略并打印绩效指标。",
    },
    "help_backtest_target": {
        "en": "A built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, a spec .json file or a quoted "
              "text strategy.",
        "zh-tw": "內建策略（ma、rsi、macd、kd、bband）、含 MAS 子類別的 .py 檔、策略規格 .json "
                 "檔，或加引號的文字策略。",
        "zh-cn": "内置策略（ma、rsi、macd、kd、bband）、含 MAS 子类的 .py 文件、策略规格 .json "
                 "文件，或加引号的文字策略。",
    },
    "help_backtest_text": {
        "en": "A strategy described in words (English or Chinese), instead of TARGET.",
        "zh-tw": "以文字（英文或中文）描述的策略，取代 TARGET。",
        "zh-cn": "以文字（英文或中文）描述的策略，取代 TARGET。",
    },
    "help_backtest_llm": {
        "en": "With --text: ask the LLM backend (MAS_LLM_BASE_URL, MAS_LLM_MODEL) for the spec instead of the "
              "parser; it is explained first.",
        "zh-tw": "搭配 --text：改由 LLM 後端（MAS_LLM_BASE_URL、MAS_LLM_MODEL）產生策略規格，而非解析器；會先說明其理"
                 "解。",
        "zh-cn": "搭配 --text：改由 LLM 后端（MAS_LLM_BASE_URL、MAS_LLM_MODEL）生成策略规格，而非解析器；会先说明其理"
                 "解。",
    },
    "help_backtest_model": {
        "en": "Path inside bars: open_prices, ohlc (M1), every_tick, real_ticks.",
        "zh-tw": "K線內的價格路徑：open_prices、ohlc（M1）、every_tick、real_ticks。",
        "zh-cn": "K线内的价格路径：open_prices、ohlc（M1）、every_tick、real_ticks。",
    },
    "help_backtest_symbol": {
        "en": "Symbol, or several separated by commas.",
        "zh-tw": "商品，或以逗號分隔的多個商品。",
        "zh-cn": "品种，或以逗号分隔的多个品种。",
    },
    "help_backtest_timeframe": {
        "en": "M1 ... MN1.",
        "zh-tw": "M1 ... MN1。",
        "zh-cn": "M1 ... MN1。",
    },
    "help_backtest_date_from": {
        "en": "First day, YYYY-MM-DD.",
        "zh-tw": "第一天，YYYY-MM-DD。",
        "zh-cn": "第一天，YYYY-MM-DD。",
    },
    "help_backtest_date_to": {
        "en": "Last day, YYYY-MM-DD (whole day).",
        "zh-tw": "最後一天，YYYY-MM-DD（含整天）。",
        "zh-cn": "最后一天，YYYY-MM-DD（含整天）。",
    },
    "help_backtest_capital": {
        "en": "Initial capital in account currency.",
        "zh-tw": "初始資金，以帳戶幣別計。",
        "zh-cn": "初始资金，以账户币种计。",
    },
    "help_backtest_spread": {
        "en": "Spread in points (overrides data and symbol default).",
        "zh-tw": "點差，以點數計（取代資料與商品的預設值）。",
        "zh-cn": "点差，以点数计（取代数据与品种的默认值）。",
    },
    "help_backtest_commission": {
        "en": "Commission per lot per side, account currency.",
        "zh-tw": "每手單邊手續費，以帳戶幣別計。",
        "zh-cn": "每手单边手续费，以账户币种计。",
    },
    "help_backtest_leverage": {
        "en": "Account leverage, e.g. 100 for 1:100.",
        "zh-tw": "帳戶槓桿，例如 100 代表 1:100。",
        "zh-cn": "账户杠杆，例如 100 代表 1:100。",
    },
    "help_backtest_currency": {
        "en": "Account currency.",
        "zh-tw": "帳戶幣別。",
        "zh-cn": "账户币种。",
    },
    "help_backtest_margin_mode": {
        "en": "hedging or netting.",
        "zh-tw": "hedging（鎖倉）或 netting（淨額）。",
        "zh-cn": "hedging（锁仓）或 netting（净额）。",
    },
    "help_backtest_slippage": {
        "en": "Slippage in points on market and stop fills.",
        "zh-tw": "市價單與停損成交的滑價，以點數計。",
        "zh-cn": "市价单与止损成交的滑点，以点数计。",
    },
    "help_backtest_engine": {
        "en": "auto (the vectorized fast path for spec strategies and built-ins where it is exact, else the event "
              "engine), event or fast.",
        "zh-tw": "auto（規格策略與內建策略在結果完全一致時使用向量化快速路徑，否則使用事件引擎）、event 或 fast。",
        "zh-cn": "auto（规格策略与内置策略在结果完全一致时使用向量化快速路径，否则使用事件引擎）、event 或 fast。",
    },
    "help_backtest_param": {
        "en": "Strategy parameter name=value (repeatable).",
        "zh-tw": "策略參數 name=value（可重複）。",
        "zh-cn": "策略参数 name=value（可重复）。",
    },
    "help_backtest_json_out": {
        "en": "Write settings, metrics, trades and equity here.",
        "zh-tw": "將設定、績效指標、交易與淨值寫入此檔。",
        "zh-cn": "将设置、绩效指标、交易与净值写入此文件。",
    },
    "help_backtest_report_dir": {
        "en": "Write the KPI report and trade chart here.",
        "zh-tw": "將 KPI 報告與交易圖表寫入此資料夾。",
        "zh-cn": "将 KPI 报告与交易图表写入此文件夹。",
    },
    "help_backtest_self_contained": {
        "en": "With --report-dir: each page with plotly.js inside it (about 4.8 MB more each) instead of the "
              "folder's shared copy.",
        "zh-tw": "搭配 --report-dir：每個頁面內含 plotly.js（每頁約多 4.8 MB），不使用資料夾中的共用副本。",
        "zh-cn": "搭配 --report-dir：每个页面内含 plotly.js（每页约多 4.8 MB），不使用文件夹中的共用副本。",
    },
    "help_backtest_full_traceback": {
        "en": "On an error in a strategy file, show Python's full traceback (default: your file's frames).",
        "zh-tw": "策略檔出錯時，顯示 Python 的完整追蹤（預設：只顯示您檔案中的堆疊）。",
        "zh-cn": "策略文件出错时，显示 Python 的完整追踪（默认：只显示您文件中的堆栈）。",
    },
    "help_cmd_report": {
        "en": "Render the KPI report and the trade chart again from a saved result.",
        "zh-tw": "從已儲存的結果重新產生 KPI 報告與交易圖表。",
        "zh-cn": "从已保存的结果重新生成 KPI 报告与交易图表。",
    },
    "help_report_result_json": {
        "en": "A result saved by 'mas backtest --json'.",
        "zh-tw": "以 'mas backtest --json' 儲存的結果。",
        "zh-cn": "以 'mas backtest --json' 保存的结果。",
    },
    "help_report_report_dir": {
        "en": "Where the HTML reports go (default: $MAS_REPORT_DIR, else ./mas_reports).",
        "zh-tw": "HTML 報告的輸出位置（預設：$MAS_REPORT_DIR，否則 ./mas_reports）。",
        "zh-cn": "HTML 报告的输出位置（默认：$MAS_REPORT_DIR，否则 ./mas_reports）。",
    },
    "help_report_self_contained": {
        "en": "Each page with plotly.js inside it (about 4.8 MB more each) instead of the folder's shared copy.",
        "zh-tw": "每個頁面內含 plotly.js（每頁約多 4.8 MB），不使用資料夾中的共用副本。",
        "zh-cn": "每个页面内含 plotly.js（每页约多 4.8 MB），不使用文件夹中的共用副本。",
    },
    "help_cmd_optimize": {
        "en": "Sweep a strategy's parameters over stored data and rank the parameter sets.",
        "zh-tw": "以已儲存的資料掃描策略參數，並為各組參數排名。",
        "zh-cn": "用已保存的数据扫描策略参数，并为各组参数排名。",
    },
    "help_optimize_param": {
        "en": "name=start:stop:step (stop included), name=v1,v2 or name=value (repeatable).",
        "zh-tw": "name=start:stop:step（含 stop）、name=v1,v2 或 name=value（可重複）。",
        "zh-cn": "name=start:stop:step（含 stop）、name=v1,v2 或 name=value（可重复）。",
    },
    "help_optimize_constraint": {
        "en": "A condition between parameters, e.g. \"fast < slow\" (repeatable).",
        "zh-tw": "參數之間的條件，例如 \"fast < slow\"（可重複）。",
        "zh-cn": "参数之间的条件，例如 \"fast < slow\"（可重复）。",
    },
    "help_optimize_metric": {
        "en": "Metric to optimize (a key of 'mas backtest --json' metrics).",
        "zh-tw": "要最佳化的績效指標（'mas backtest --json' 績效指標中的鍵）。",
        "zh-cn": "要优化的绩效指标（'mas backtest --json' 绩效指标中的键）。",
    },
    "help_optimize_minimize": {
        "en": "Lower is better (default: higher).",
        "zh-tw": "越低越好（預設：越高越好）。",
        "zh-cn": "越低越好（默认：越高越好）。",
    },
    "help_optimize_method": {
        "en": "grid, random or optuna.",
        "zh-tw": "grid（網格）、random（隨機）或 optuna。",
        "zh-cn": "grid（网格）、random（随机）或 optuna。",
    },
    "help_optimize_trials": {
        "en": "Parameter sets to try (random, optuna; default 100).",
        "zh-tw": "要嘗試的參數組數（random、optuna；預設 100）。",
        "zh-cn": "要尝试的参数组数（random、optuna；默认 100）。",
    },
    "help_optimize_seed": {
        "en": "Seed of random and optuna searches.",
        "zh-tw": "random 與 optuna 搜尋的隨機種子。",
        "zh-cn": "random 与 optuna 搜索的随机种子。",
    },
    "help_optimize_workers": {
        "en": "Processes evaluating in parallel.",
        "zh-tw": "平行評估的行程數。",
        "zh-cn": "并行评估的进程数。",
    },
    "help_optimize_cluster": {
        "en": "Run on Dask: local:N (a local cluster of N workers) or tcp://HOST:PORT.",
        "zh-tw": "在 Dask 上執行：local:N（N 個工作行程的本機叢集）或 tcp://HOST:PORT。",
        "zh-cn": "在 Dask 上运行：local:N（N 个工作进程的本机集群）或 tcp://HOST:PORT。",
    },
    "help_optimize_wf_in_sample": {
        "en": "Walk forward: in-sample length, e.g. 6M, 180D, 2000bars.",
        "zh-tw": "前推分析：樣本內長度，例如 6M、180D、2000bars。",
        "zh-cn": "前推分析：样本内长度，例如 6M、180D、2000bars。",
    },
    "help_optimize_wf_out_of_sample": {
        "en": "Walk forward: out-of-sample length.",
        "zh-tw": "前推分析：樣本外長度。",
        "zh-cn": "前推分析：样本外长度。",
    },
    "help_optimize_anchored": {
        "en": "Walk forward with in-sample windows from the start.",
        "zh-tw": "前推分析的樣本內視窗都從資料開頭起算。",
        "zh-cn": "前推分析的样本内窗口都从数据开头起算。",
    },
    "help_optimize_wf_warmup_bars": {
        "en": "Walk forward: bars before each out-of-sample window replayed first to warm indicators up (orders "
              "refused).",
        "zh-tw": "前推分析：每個樣本外視窗之前先重播的K線數，用於暖機指標（期間的訂單會被拒絕）。",
        "zh-cn": "前推分析：每个样本外窗口之前先重播的K线数，用于预热指标（期间的订单会被拒绝）。",
    },
    "help_optimize_top": {
        "en": "Rows of the ranked table printed.",
        "zh-tw": "排名表印出的列數。",
        "zh-cn": "排名表打印的列数。",
    },
    "help_optimize_json_out": {
        "en": "Write every parameter set's metrics and the best here.",
        "zh-tw": "將每組參數的績效指標與最佳組合寫入此檔。",
        "zh-cn": "将每组参数的绩效指标与最佳组合写入此文件。",
    },
    "help_optimize_report_dir": {
        "en": "Write the HTML optimization report here.",
        "zh-tw": "將 HTML 最佳化報告寫入此資料夾。",
        "zh-cn": "将 HTML 优化报告写入此文件夹。",
    },
    "help_optimize_self_contained": {
        "en": "With --report-dir: one HTML file with plotly.js inside it (about 4.8 MB more) instead of the folder's "
              "shared copy.",
        "zh-tw": "搭配 --report-dir：單一 HTML 檔內含 plotly.js（約多 4.8 MB），不使用資料夾中的共用副本。",
        "zh-cn": "搭配 --report-dir：单个 HTML 文件内含 plotly.js（约多 4.8 MB），不使用文件夹中的共用副本。",
    },
    "help_cmd_live": {
        "en": "Trade a strategy live on a broker profile's account until Ctrl-C (or SIGTERM).\n\nThe strategy runs "
              "with backtest_toggle = False: your own strategies must send their orders with \"backtest_toggle\": "
              "self.backtest_toggle. Open positions stay open when it stops.",
        "zh-tw": "在券商設定檔的帳戶上實盤執行策略，直到按下 Ctrl-C（或收到 SIGTERM）。\n\n策略以 backtest_toggle = "
                 "False 執行：您自己的策略送出訂單時必須帶上 \"backtest_toggle\": "
                 "self.backtest_toggle。停止時未平倉的部位保持開啟。",
        "zh-cn": "在券商配置的账户上实盘运行策略，直到按下 Ctrl-C（或收到 SIGTERM）。\n\n策略以 backtest_toggle = "
                 "False 运行：您自己的策略送出订单时必须带上 \"backtest_toggle\": "
                 "self.backtest_toggle。停止时未平仓的持仓保持打开。",
    },
    "help_live_profile": {
        "en": "Broker profile to trade on (mas broker add); its risk guards apply.",
        "zh-tw": "用於交易的券商設定檔（mas broker add）；其風控規則適用。",
        "zh-cn": "用于交易的券商配置（mas broker add）；其风控规则适用。",
    },
    "help_live_symbol": {
        "en": "Symbol whose live bars feed the strategy.",
        "zh-tw": "以其即時K線驅動策略的商品。",
        "zh-cn": "以其实时K线驱动策略的品种。",
    },
    "help_live_timeframe": {
        "en": "Bar timeframe, M1 ... MN1.",
        "zh-tw": "K線週期，M1 ... MN1。",
        "zh-cn": "K线周期，M1 ... MN1。",
    },
    "help_live_interval_ms": {
        "en": "How often the live feed polls the terminal.",
        "zh-tw": "即時行情輪詢終端的間隔。",
        "zh-cn": "实时行情轮询终端的间隔。",
    },
    "help_live_status_every": {
        "en": "Seconds between status lines.",
        "zh-tw": "狀態列之間的秒數。",
        "zh-cn": "状态行之间的秒数。",
    },
    "help_live_warmup_bars": {
        "en": "Recent bars replayed first so indicators are ready (orders sent during the warm-up are refused, never "
              "sent).",
        "zh-tw": "先重播的近期K線數，讓指標就緒（暖機期間送出的訂單會被拒絕，絕不送出）。",
        "zh-cn": "先重播的近期K线数，让指标就绪（预热期间送出的订单会被拒绝，绝不送出）。",
    },
    "help_live_full_traceback": {
        "en": "On an error loading a strategy file, show Python's full traceback (default: your file's frames).",
        "zh-tw": "載入策略檔出錯時，顯示 Python 的完整追蹤（預設：只顯示您檔案中的堆疊）。",
        "zh-cn": "加载策略文件出错时，显示 Python 的完整追踪（默认：只显示您文件中的堆栈）。",
    },
    "help_cmd_ui": {
        "en": "Start the web app: describe a strategy, backtest it, read and compare the results.",
        "zh-tw": "啟動網頁應用程式：描述策略、回測、閱讀並比較結果。",
        "zh-cn": "启动网页应用：描述策略、回测、阅读并比较结果。",
    },
    "help_ui_host": {
        "en": "Address to listen on (127.0.0.1: this machine only).",
        "zh-tw": "監聽位址（127.0.0.1：僅限本機）。",
        "zh-cn": "监听地址（127.0.0.1：仅限本机）。",
    },
    "help_ui_port": {
        "en": "Port to listen on (0: any free port).",
        "zh-tw": "監聽連接埠（0：任一可用連接埠）。",
        "zh-cn": "监听端口（0：任一可用端口）。",
    },
    "help_ui_no_browser": {
        "en": "Do not open a browser.",
        "zh-tw": "不開啟瀏覽器。",
        "zh-cn": "不打开浏览器。",
    },
    "help_ui_password": {
        "en": "Password for logging in from other machines (required with any --host but 127.0.0.1). Prefer the "
              "MAS_UI_PASSWORD environment variable: a command-line argument is visible to other users.",
        "zh-tw": "從其他電腦登入的密碼（--host 不是 127.0.0.1 時必填）。建議改用 MAS_UI_PASSWORD "
                 "環境變數：命令列參數其他使用者看得到。",
        "zh-cn": "从其他电脑登录的密码（--host 不是 127.0.0.1 时必填）。建议改用 MAS_UI_PASSWORD "
                 "环境变量：命令行参数其他用户看得到。",
    },
    "help_help": {
        "en": "Show this message and exit.",
        "zh-tw": "顯示此說明後結束。",
        "zh-cn": "显示此说明后结束。",
    },
}

CLI_HELP: dict[str, dict[str, str]] = {**HELP_LABELS, **_HELP_MAIN, **HELP_DATA, **HELP_ACCOUNTS}
"""Every text of the ``mas`` command's ``--help``."""
