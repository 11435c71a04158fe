"""The ``--help`` of ``mas broker`` (and its account groups), ``mas mt5``, ``mas symbols`` and
``mas copy``: each command's description and each option's help, key -> {language: template}
(see :mod:`mas.i18n.cli_help`)."""

from __future__ import annotations

__all__ = ["HELP_ACCOUNTS"]

HELP_ACCOUNTS: dict[str, dict[str, str]] = {
    "help_cmd_broker": {
        "en": "Broker profiles: add, list, test.",
        "zh-tw": "券商設定檔：新增、列出、測試。",
        "zh-cn": "券商配置：添加、列出、测试。",
    },
    "help_cmd_broker_add": {
        "en": "Add or replace a broker profile (no password is ever written to the file).\n\nThe risk guards refuse "
              "live orders that open or add exposure; closing orders always pass.",
        "zh-tw": "新增或取代券商設定檔（密碼絕不會寫入檔案）。\n\n風控規則會拒絕開倉或加倉的實盤訂單；平倉訂單一律放"
                 "行。",
        "zh-cn": "添加或取代券商配置（密码绝不会写入文件）。\n\n风控规则会拒绝开仓或加仓的实盘订单；平仓订单一律放行"
                 "。",
    },
    "help_broker_add_name": {
        "en": "Profile name.",
        "zh-tw": "設定檔名稱。",
        "zh-cn": "配置名称。",
    },
    "help_broker_add_terminal": {
        "en": "mt5, mt5linux or sim.",
        "zh-tw": "mt5、mt5linux 或 sim。",
        "zh-cn": "mt5、mt5linux 或 sim。",
    },
    "help_broker_add_server": {
        "en": "Broker server name, e.g. 'ICMarkets-Demo'.",
        "zh-tw": "券商伺服器名稱，例如 'ICMarkets-Demo'。",
        "zh-cn": "券商服务器名称，例如 'ICMarkets-Demo'。",
    },
    "help_broker_add_login": {
        "en": "Account number.",
        "zh-tw": "帳號。",
        "zh-cn": "账号。",
    },
    "help_broker_add_path": {
        "en": "MT5 terminal executable (terminal mt5).",
        "zh-tw": "MT5 終端執行檔（終端 mt5）。",
        "zh-cn": "MT5 终端可执行文件（终端 mt5）。",
    },
    "help_broker_add_host": {
        "en": "Bridge host (mt5linux, sim).",
        "zh-tw": "橋接主機（mt5linux、sim）。",
        "zh-cn": "桥接主机（mt5linux、sim）。",
    },
    "help_broker_add_port": {
        "en": "Bridge port (mt5linux, sim).",
        "zh-tw": "橋接連接埠（mt5linux、sim）。",
        "zh-cn": "桥接端口（mt5linux、sim）。",
    },
    "help_broker_add_keyring": {
        "en": "Ask for the password and keep it in the OS keyring.",
        "zh-tw": "詢問密碼並存入作業系統金鑰圈。",
        "zh-cn": "询问密码并存入操作系统密钥环。",
    },
    "help_broker_add_max_lots": {
        "en": "Risk guard: most lots per opening order (0 = no limit).",
        "zh-tw": "風控：每筆開倉訂單的手數上限（0 = 不限）。",
        "zh-cn": "风控：每笔开仓订单的手数上限（0 = 不限）。",
    },
    "help_broker_add_max_positions": {
        "en": "Risk guard: most open positions + pending orders (0 = no limit).",
        "zh-tw": "風控：未平倉部位加掛單的數量上限（0 = 不限）。",
        "zh-cn": "风控：未平仓持仓加挂单的数量上限（0 = 不限）。",
    },
    "help_broker_add_daily_loss_limit": {
        "en": "Risk guard: stop opening once the loss since the UTC day's starting equity reaches this, in account "
              "currency (0 = none).",
        "zh-tw": "風控：自 UTC 當日起始淨值起算的虧損達到此值時停止開倉，以帳戶幣別計（0 = 不限）。",
        "zh-cn": "风控：自 UTC 当日起始净值起算的亏损达到此值时停止开仓，以账户币种计（0 = 不限）。",
    },
    "help_broker_add_trading_hours": {
        "en": "Risk guard: UTC windows for opening orders, e.g. 'Mon-Fri 07:00-20:00' or 'Sun 22:00-24:00; Mon-Fri "
              "00:00-21:00'.",
        "zh-tw": "風控：允許開倉的 UTC 時段，例如 'Mon-Fri 07:00-20:00' 或 'Sun 22:00-24:00; Mon-Fri 00:00-21:00'。",
        "zh-cn": "风控：允许开仓的 UTC 时段，例如 'Mon-Fri 07:00-20:00' 或 'Sun 22:00-24:00; Mon-Fri 00:00-21:00'。",
    },
    "help_cmd_broker_list": {
        "en": "The profiles and where each one's password would come from.",
        "zh-tw": "各設定檔，以及各自的密碼會從何處取得。",
        "zh-cn": "各配置，以及各自的密码会从何处取得。",
    },
    "help_cmd_broker_remove": {
        "en": "Remove a profile from the file.",
        "zh-tw": "從檔案中移除設定檔。",
        "zh-cn": "从文件中移除配置。",
    },
    "help_cmd_broker_test": {
        "en": "Log in with the profile, show the account, log out.",
        "zh-tw": "以設定檔登入、顯示帳戶、登出。",
        "zh-cn": "以配置登录、显示账户、退出登录。",
    },
    "help_ex_broker_test": {
        "en": "mas broker test demo (the password from MAS_PASSWORD_DEMO or the OS keyring)",
        "zh-tw": "mas broker test demo（密碼取自 MAS_PASSWORD_DEMO 或作業系統金鑰圈）",
        "zh-cn": "mas broker test demo（密码取自 MAS_PASSWORD_DEMO 或操作系统密钥环）",
    },
    "help_cmd_group": {
        "en": "Account groups: broker profiles that trade one order together ($MAS_HOME/groups.toml).",
        "zh-tw": "帳戶群組：一起交易同一筆訂單的券商設定檔（$MAS_HOME/groups.toml）。",
        "zh-cn": "账户组：一起交易同一笔订单的券商配置（$MAS_HOME/groups.toml）。",
    },
    "help_cmd_group_status": {
        "en": "Log in to each member and print balance, equity, margin, free margin, floating and today's realised "
              "P&L, positions, pending orders and the exposure per symbol, per account and summed. Sends nothing.",
        "zh-tw": "登入每個成員並印出餘額、淨值、保證金、可用保證金、浮動損益與今日已實現損益、部位、掛單，以及每個商"
                 "品在每個帳戶與合計的曝險。不送出任何訂單。",
        "zh-cn": "登录每个成员并打印余额、净值、保证金、可用保证金、浮动损益与今日已实现损益、持仓、挂单，以及每个品"
                 "种在每个账户与合计的曝险。不送出任何订单。",
    },
    "help_group_status_name": {
        "en": "Group name.",
        "zh-tw": "群組名稱。",
        "zh-cn": "账户组名称。",
    },
    "help_group_status_as_json": {
        "en": "Print the report as JSON (what get_group_summary returns).",
        "zh-tw": "以 JSON 印出報告（即 get_group_summary 的回傳值）。",
        "zh-cn": "以 JSON 打印报告（即 get_group_summary 的返回值）。",
    },
    "help_cmd_group_add": {
        "en": "Add an account group of existing broker profiles.",
        "zh-tw": "以現有的券商設定檔新增帳戶群組。",
        "zh-cn": "以现有的券商配置添加账户组。",
    },
    "help_group_add_members": {
        "en": "Broker profile names, comma separated: a,b,c.",
        "zh-tw": "券商設定檔名稱，以逗號分隔：a,b,c。",
        "zh-cn": "券商配置名称，以逗号分隔：a,b,c。",
    },
    "help_group_add_allocation": {
        "en": "multiplier, fixed, balance, equity, free_margin, risk or equal_risk (see docs/live.md, Allocation).",
        "zh-tw": "multiplier、fixed、balance、equity、free_margin、risk 或 equal_risk（見 docs/live.md 的 "
                 "Allocation）。",
        "zh-cn": "multiplier、fixed、balance、equity、free_margin、risk 或 equal_risk（见 docs/live.md 的 "
                 "Allocation）。",
    },
    "help_group_add_min_lot_rule": {
        "en": "A volume below the minimum lot: 'raise' it or 'skip' the account.",
        "zh-tw": "低於最小手數的數量：'raise' 提高到最小手數，或 'skip' 略過該帳戶。",
        "zh-cn": "低于最小手数的数量：'raise' 提高到最小手数，或 'skip' 跳过该账户。",
    },
    "help_group_add_risk_percent": {
        "en": "The risk method: percent of each account's equity lost at the stop.",
        "zh-tw": "risk 分配方式：每個帳戶在停損時損失的淨值百分比。",
        "zh-cn": "risk 分配方式：每个账户在止损时损失的净值百分比。",
    },
    "help_group_add_per_account_max_lots": {
        "en": "Most lots per order: '2' (each) or 'a=2,b=0.5'.",
        "zh-tw": "每筆訂單的手數上限：'2'（每個帳戶）或 'a=2,b=0.5'。",
        "zh-cn": "每笔订单的手数上限：'2'（每个账户）或 'a=2,b=0.5'。",
    },
    "help_group_add_multipliers": {
        "en": "The multiplier method: 'a=2,b=0.5' (default 1).",
        "zh-tw": "multiplier 分配方式：'a=2,b=0.5'（預設 1）。",
        "zh-cn": "multiplier 分配方式：'a=2,b=0.5'（默认 1）。",
    },
    "help_group_add_fixed_lots": {
        "en": "The fixed method: '0.1' (each) or 'a=0.1,b=0.2' (default: the order's).",
        "zh-tw": "fixed 分配方式：'0.1'（每個帳戶）或 'a=0.1,b=0.2'（預設：訂單的手數）。",
        "zh-cn": "fixed 分配方式：'0.1'（每个账户）或 'a=0.1,b=0.2'（默认：订单的手数）。",
    },
    "help_group_add_replace": {
        "en": "Replace a group of that name.",
        "zh-tw": "取代同名的群組。",
        "zh-cn": "取代同名的账户组。",
    },
    "help_group_add_deposits": {
        "en": "Group backtests: each member's simulated deposit, '10000' (each) or 'a=10000,b=50000' (default: the "
              "backtest's --capital).",
        "zh-tw": "群組回測：每個成員的模擬入金，'10000'（每個帳戶）或 'a=10000,b=50000'（預設：回測的 --capital）。",
        "zh-cn": "账户组回测：每个成员的模拟入金，'10000'（每个账户）或 'a=10000,b=50000'（默认：回测的 --capital）。",
    },
    "help_group_add_leverages": {
        "en": "Group backtests: each member's leverage, '100' or 'a=100,b=500'.",
        "zh-tw": "群組回測：每個成員的槓桿，'100' 或 'a=100,b=500'。",
        "zh-cn": "账户组回测：每个成员的杠杆，'100' 或 'a=100,b=500'。",
    },
    "help_group_add_currencies": {
        "en": "Group backtests: each member's account currency, 'a=EUR,b=USD'.",
        "zh-tw": "群組回測：每個成員的帳戶幣別，'a=EUR,b=USD'。",
        "zh-cn": "账户组回测：每个成员的账户币种，'a=EUR,b=USD'。",
    },
    "help_cmd_group_list": {
        "en": "The groups, their members and allocation.",
        "zh-tw": "各群組、其成員與分配方式。",
        "zh-cn": "各账户组、其成员与分配方式。",
    },
    "help_cmd_group_remove": {
        "en": "Remove a group (its broker profiles stay).",
        "zh-tw": "移除群組（其券商設定檔保留）。",
        "zh-cn": "移除账户组（其券商配置保留）。",
    },
    "help_cmd_group_allocate": {
        "en": "Dry run: log in to each member, read balance/equity/free margin, print the split. Sends nothing.",
        "zh-tw": "試算：登入每個成員、讀取餘額/淨值/可用保證金，印出分配結果。不送出任何訂單。",
        "zh-cn": "试算：登录每个成员、读取余额/净值/可用保证金，打印分配结果。不送出任何订单。",
    },
    "help_group_allocate_volume": {
        "en": "The order's volume in lots.",
        "zh-tw": "訂單的手數。",
        "zh-cn": "订单的手数。",
    },
    "help_group_allocate_symbol": {
        "en": "The symbol (its volume limits and tick value come from each server).",
        "zh-tw": "商品（其手數限制與跳動值取自各伺服器）。",
        "zh-cn": "品种（其手数限制与跳动值取自各服务器）。",
    },
    "help_group_allocate_stop_distance": {
        "en": "The risk method: the stop's distance in price, e.g. 0.0050.",
        "zh-tw": "risk 分配方式：停損與價格的距離，例如 0.0050。",
        "zh-cn": "risk 分配方式：止损与价格的距离，例如 0.0050。",
    },
    "help_cmd_group_backtest": {
        "en": "Backtest a strategy over the group's accounts: one replay, each order split by the group's allocation "
              "method; prints each account's result and the group's aggregate.",
        "zh-tw": "在群組的帳戶上回測策略：一次重播，每筆訂單依群組的分配方式拆分；印出每個帳戶的結果與群組的合計。",
        "zh-cn": "在账户组的账户上回测策略：一次重播，每笔订单依账户组的分配方式拆分；打印每个账户的结果与账户组的合"
                 "计。",
    },
    "help_group_backtest_name": {
        "en": "Group name (or, with every account named in --accounts, a new name).",
        "zh-tw": "群組名稱（若 --accounts 已指名每個帳戶，也可為新名稱）。",
        "zh-cn": "账户组名称（若 --accounts 已指名每个账户，也可为新名称）。",
    },
    "help_group_backtest_target": {
        "en": "The strategy: a built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, a spec .json "
              "file or a quoted text strategy.",
        "zh-tw": "策略：內建策略（ma、rsi、macd、kd、bband）、含 MAS 子類別的 .py 檔、策略規格 .json "
                 "檔，或加引號的文字策略。",
        "zh-cn": "策略：内置策略（ma、rsi、macd、kd、bband）、含 MAS 子类的 .py 文件、策略规格 .json "
                 "文件，或加引号的文字策略。",
    },
    "help_group_backtest_accounts": {
        "en": "Each member's DEPOSIT[:LEVERAGE[:CURRENCY]], in member order ('10000:100,50000:500') or named "
              "('alice=10000:100,bob=5000:50:EUR'); default: the group's deposits/leverages/currencies, else "
              "--capital and --leverage.",
        "zh-tw": "每個成員的 DEPOSIT[:LEVERAGE[:CURRENCY]]，依成員順序（'10000:100,50000:500'）或具名（'alice=10000:1"
                 "00,bob=5000:50:EUR'）；預設：群組的 deposits/leverages/currencies，否則 --capital 與 --leverage。",
        "zh-cn": "每个成员的 DEPOSIT[:LEVERAGE[:CURRENCY]]，依成员顺序（'10000:100,50000:500'）或具名（'alice=10000:1"
                 "00,bob=5000:50:EUR'）；默认：账户组的 deposits/leverages/currencies，否则 --capital 与 --leverage。",
    },
    "help_group_backtest_allocation": {
        "en": "Override the group's method: multiplier, fixed, balance, equity, free_margin, risk or equal_risk "
              "(docs/groups.md).",
        "zh-tw": "覆寫群組的分配方式：multiplier、fixed、balance、equity、free_margin、risk 或 "
                 "equal_risk（docs/groups.md）。",
        "zh-cn": "覆盖账户组的分配方式：multiplier、fixed、balance、equity、free_margin、risk 或 "
                 "equal_risk（docs/groups.md）。",
    },
    "help_group_backtest_min_lot_rule": {
        "en": "Override the group's rule for a volume below the minimum lot: raise or skip.",
        "zh-tw": "覆寫群組對低於最小手數之數量的規則：raise 或 skip。",
        "zh-cn": "覆盖账户组对低于最小手数之数量的规则：raise 或 skip。",
    },
    "help_group_backtest_risk_percent": {
        "en": "Override the group's risk percent (the risk method).",
        "zh-tw": "覆寫群組的風險百分比（risk 分配方式）。",
        "zh-cn": "覆盖账户组的风险百分比（risk 分配方式）。",
    },
    "help_group_backtest_capital": {
        "en": "Deposit of a member without one (--accounts or the group's).",
        "zh-tw": "未指定入金之成員的入金（--accounts 或群組的設定）。",
        "zh-cn": "未指定入金之成员的入金（--accounts 或账户组的设置）。",
    },
    "help_group_backtest_leverage": {
        "en": "Leverage of a member without one, e.g. 100 for 1:100.",
        "zh-tw": "未指定槓桿之成員的槓桿，例如 100 代表 1:100。",
        "zh-cn": "未指定杠杆之成员的杠杆，例如 100 代表 1:100。",
    },
    "help_group_backtest_currency": {
        "en": "Account currency of a member without one.",
        "zh-tw": "未指定帳戶幣別之成員的帳戶幣別。",
        "zh-cn": "未指定账户币种之成员的账户币种。",
    },
    "help_group_backtest_json_out": {
        "en": "Write the accounts' table, the exposure, each account's and the aggregate's result here.",
        "zh-tw": "將帳戶表、曝險、每個帳戶與合計的結果寫入此檔。",
        "zh-cn": "将账户表、曝险、每个账户与合计的结果写入此文件。",
    },
    "help_group_backtest_report_dir": {
        "en": "Write each account's KPI report, the group's aggregated KPI report and a summary page here.",
        "zh-tw": "將每個帳戶的 KPI 報告、群組的合計 KPI 報告與摘要頁寫入此資料夾。",
        "zh-cn": "将每个账户的 KPI 报告、账户组的合计 KPI 报告与摘要页写入此文件夹。",
    },
    "help_cmd_mt5": {
        "en": "Run MetaTrader5 Python scripts unchanged on any terminal.",
        "zh-tw": "在任何終端上原封不動地執行 MetaTrader5 Python 腳本。",
        "zh-cn": "在任何终端上原封不动地运行 MetaTrader5 Python 脚本。",
    },
    "help_cmd_mt5_run": {
        "en": "Run SCRIPT with 'import MetaTrader5' resolving to mas.mt5 on --terminal; the script's own "
              "mt5.initialize() with no arguments connects and logs in. Arguments after SCRIPT that are not these "
              "options (or everything after '--') go to the script's sys.argv.",
        "zh-tw": "執行 SCRIPT，其中的 'import MetaTrader5' 會對應到 --terminal 上的 mas.mt5；腳本自己不帶參數的 "
                 "mt5.initialize() 會連線並登入。SCRIPT 之後不屬於這些選項的參數（或 '--' 之後的全部）會傳入腳本的 "
                 "sys.argv。",
        "zh-cn": "运行 SCRIPT，其中的 'import MetaTrader5' 会对应到 --terminal 上的 mas.mt5；脚本自己不带参数的 "
                 "mt5.initialize() 会连接并登录。SCRIPT 之后不属于这些选项的参数（或 '--' 之后的全部）会传入脚本的 "
                 "sys.argv。",
    },
    "help_mt5_run_script": {
        "en": "A Python script that does 'import MetaTrader5 as mt5'.",
        "zh-tw": "執行 'import MetaTrader5 as mt5' 的 Python 腳本。",
        "zh-cn": "运行 'import MetaTrader5 as mt5' 的 Python 脚本。",
    },
    "help_mt5_run_terminal": {
        "en": "sim://host:port, mt5linux://host:port or mt5 (default: $MAS_TERMINAL, else mt5).",
        "zh-tw": "sim://host:port、mt5linux://host:port 或 mt5（預設：$MAS_TERMINAL，否則 mt5）。",
        "zh-cn": "sim://host:port、mt5linux://host:port 或 mt5（默认：$MAS_TERMINAL，否则 mt5）。",
    },
    "help_mt5_run_login": {
        "en": "Account number the script's mt5.initialize() logs in to.",
        "zh-tw": "腳本的 mt5.initialize() 所登入的帳號。",
        "zh-cn": "脚本的 mt5.initialize() 所登录的账号。",
    },
    "help_mt5_run_password": {
        "en": "Account password (prefer the MAS_PASSWORD environment variable: a command line is visible to other "
              "users).",
        "zh-tw": "帳戶密碼（建議改用 MAS_PASSWORD 環境變數：命令列其他使用者看得到）。",
        "zh-cn": "账户密码（建议改用 MAS_PASSWORD 环境变量：命令行其他用户看得到）。",
    },
    "help_mt5_run_server": {
        "en": "Trade server name, e.g. MAS-Sim.",
        "zh-tw": "交易伺服器名稱，例如 MAS-Sim。",
        "zh-cn": "交易服务器名称，例如 MAS-Sim。",
    },
    "help_mt5_run_timeout": {
        "en": "Connection timeout in milliseconds (MetaTrader5's default 60000).",
        "zh-tw": "連線逾時，以毫秒計（MetaTrader5 的預設為 60000）。",
        "zh-cn": "连接超时，以毫秒计（MetaTrader5 的默认为 60000）。",
    },
    "help_cmd_symbols": {
        "en": "Symbol specs: add, list, show, remove; broker suffixes.",
        "zh-tw": "商品規格：新增、列出、顯示、移除；券商字尾。",
        "zh-cn": "品种规格：添加、列出、显示、移除；券商后缀。",
    },
    "help_cmd_symbols_add": {
        "en": "Add or replace a symbol spec; a built-in's name replaces the given fields of the built-in.",
        "zh-tw": "新增或取代商品規格；使用內建商品的名稱時，只取代內建規格中指定的欄位。",
        "zh-cn": "添加或取代品种规格；使用内置品种的名称时，只取代内置规格中指定的字段。",
    },
    "help_symbols_add_name": {
        "en": "Symbol name, e.g. US30 or EURUSD.m (case-insensitive).",
        "zh-tw": "商品名稱，例如 US30 或 EURUSD.m（不分大小寫）。",
        "zh-cn": "品种名称，例如 US30 或 EURUSD.m（不分大小写）。",
    },
    "help_symbols_add_base": {
        "en": "Base currency, e.g. EUR (USD for a US index).",
        "zh-tw": "基礎貨幣，例如 EUR（美國指數為 USD）。",
        "zh-cn": "基础货币，例如 EUR（美国指数为 USD）。",
    },
    "help_symbols_add_profit": {
        "en": "Profit (quote) currency, e.g. USD.",
        "zh-tw": "獲利（報價）貨幣，例如 USD。",
        "zh-cn": "获利（报价）货币，例如 USD。",
    },
    "help_symbols_add_margin": {
        "en": "Margin currency (default: the base currency).",
        "zh-tw": "保證金貨幣（預設：基礎貨幣）。",
        "zh-cn": "保证金货币（默认：基础货币）。",
    },
    "help_symbols_add_digits": {
        "en": "Decimals of the price, 0-10.",
        "zh-tw": "價格的小數位數，0-10。",
        "zh-cn": "价格的小数位数，0-10。",
    },
    "help_symbols_add_contract_size": {
        "en": "Units per lot, e.g. 100000 or 1.",
        "zh-tw": "每手單位數，例如 100000 或 1。",
        "zh-cn": "每手单位数，例如 100000 或 1。",
    },
    "help_symbols_add_calc_mode": {
        "en": "Margin formula: forex, forex_no_leverage, cfd, cfdindex, cfdleverage, exch_stocks.",
        "zh-tw": "保證金公式：forex、forex_no_leverage、cfd、cfdindex、cfdleverage、exch_stocks。",
        "zh-cn": "保证金公式：forex、forex_no_leverage、cfd、cfdindex、cfdleverage、exch_stocks。",
    },
    "help_symbols_add_spread": {
        "en": "Default spread in points (when the data has none).",
        "zh-tw": "預設點差，以點數計（資料中沒有點差時使用）。",
        "zh-cn": "默认点差，以点数计（数据中没有点差时使用）。",
    },
    "help_symbols_add_commission": {
        "en": "Account currency per lot per side.",
        "zh-tw": "每手單邊手續費，以帳戶幣別計。",
        "zh-cn": "每手单边手续费，以账户币种计。",
    },
    "help_symbols_add_swap_long": {
        "en": "Points per lot per night.",
        "zh-tw": "每手每晚的點數。",
        "zh-cn": "每手每晚的点数。",
    },
    "help_symbols_add_description": {
        "en": "A description, e.g. 'Dow Jones 30 CFD'.",
        "zh-tw": "說明，例如 'Dow Jones 30 CFD'。",
        "zh-cn": "说明，例如 'Dow Jones 30 CFD'。",
    },
    "help_symbols_add_like": {
        "en": "Start from this symbol's spec (built-in or yours); options replace fields.",
        "zh-tw": "以此商品的規格（內建或您的）為起點；選項會取代欄位。",
        "zh-cn": "以此品种的规格（内置或您的）为起点；选项会取代字段。",
    },
    "help_symbols_add_from_mt5_csv": {
        "en": "Start from this symbol's row of a CSV of MT5 symbol_info records.",
        "zh-tw": "以 MT5 symbol_info 紀錄 CSV 中此商品的那一列為起點。",
        "zh-cn": "以 MT5 symbol_info 记录 CSV 中此品种的那一列为起点。",
    },
    "help_symbols_add_set": {
        "en": "Any other field, e.g. --set volume_max=50 --set trade_mode=longonly.",
        "zh-tw": "任何其他欄位，例如 --set volume_max=50 --set trade_mode=longonly。",
        "zh-cn": "任何其他字段，例如 --set volume_max=50 --set trade_mode=longonly。",
    },
    "help_cmd_symbols_list": {
        "en": "The built-in and user symbols: currencies, digits, contract size, margin formula, where each comes "
              "from.",
        "zh-tw": "內建與使用者的商品：貨幣、小數位數、合約大小、保證金公式，以及各自的來源。",
        "zh-cn": "内置与用户的品种：货币、小数位数、合约大小、保证金公式，以及各自的来源。",
    },
    "help_symbols_list_group": {
        "en": "Only names matching, e.g. '*JPY*'.",
        "zh-tw": "只列出符合的名稱，例如 '*JPY*'。",
        "zh-cn": "只列出符合的名称，例如 '*JPY*'。",
    },
    "help_cmd_symbols_show": {
        "en": "Every field of one symbol's spec, and where it comes from.",
        "zh-tw": "某個商品規格的每個欄位，以及其來源。",
        "zh-cn": "某个品种规格的每个字段，以及其来源。",
    },
    "help_symbols_show_name": {
        "en": "Symbol name.",
        "zh-tw": "商品名稱。",
        "zh-cn": "品种名称。",
    },
    "help_cmd_symbols_remove": {
        "en": "Remove your spec of a symbol (a built-in one is restored; built-ins themselves stay).",
        "zh-tw": "移除您對某商品的規格（內建商品會恢復；內建商品本身不會被移除）。",
        "zh-cn": "移除您对某品种的规格（内置品种会恢复；内置品种本身不会被移除）。",
    },
    "help_cmd_symbols_suffix": {
        "en": "Map symbol names to a broker's: with suffix '.m', a strategy's EURUSD trades EURUSD.m live, and a "
              "backtest of EURUSD.m takes EURUSD's spec.",
        "zh-tw": "將商品名稱對應到券商的名稱：字尾為 '.m' 時，策略的 EURUSD 在實盤交易 EURUSD.m，而 EURUSD.m "
                 "的回測使用 EURUSD 的規格。",
        "zh-cn": "将品种名称对应到券商的名称：后缀为 '.m' 时，策略的 EURUSD 在实盘交易 EURUSD.m，而 EURUSD.m "
                 "的回测使用 EURUSD 的规格。",
    },
    "help_symbols_suffix_suffix": {
        "en": "The broker's suffix, e.g. .m, pro or _i.",
        "zh-tw": "券商的字尾，例如 .m、pro 或 _i。",
        "zh-cn": "券商的后缀，例如 .m、pro 或 _i。",
    },
    "help_symbols_suffix_profile": {
        "en": "Broker profile it applies to ('*': every profile).",
        "zh-tw": "套用的券商設定檔（'*'：每個設定檔）。",
        "zh-cn": "套用的券商配置（'*'：每个配置）。",
    },
    "help_symbols_suffix_remove_it": {
        "en": "Remove the profile's suffix.",
        "zh-tw": "移除該設定檔的字尾。",
        "zh-cn": "移除该配置的后缀。",
    },
    "help_cmd_copy": {
        "en": "Trade copier: mirror a master account's deals on followers.",
        "zh-tw": "跟單：將主帳戶的成交複製到跟單帳戶。",
        "zh-cn": "跟单：将主账户的成交复制到跟单账户。",
    },
    "help_cmd_copy_start": {
        "en": "Mirror the master's deals on the followers until Ctrl-C (or SIGTERM); restartable, each copy made "
              "once.",
        "zh-tw": "將主帳戶的成交複製到跟單帳戶，直到按下 Ctrl-C（或收到 SIGTERM）；可重新啟動，每筆只複製一次。",
        "zh-cn": "将主账户的成交复制到跟单账户，直到按下 Ctrl-C（或收到 SIGTERM）；可重新启动，每笔只复制一次。",
    },
    "help_copy_start_master": {
        "en": "Broker profile whose deals are copied (mas broker add).",
        "zh-tw": "被複製成交的券商設定檔（mas broker add）。",
        "zh-cn": "被复制成交的券商配置（mas broker add）。",
    },
    "help_copy_start_followers": {
        "en": "Follower profiles, comma-separated; each may add :MULTIPLIER and/or :reverse, e.g. "
              "'alice,bob:0.5,carol:2:reverse'.",
        "zh-tw": "跟單設定檔，以逗號分隔；每個可加上 :MULTIPLIER 和/或 :reverse，例如 "
                 "'alice,bob:0.5,carol:2:reverse'。",
        "zh-cn": "跟单配置，以逗号分隔；每个可加上 :MULTIPLIER 和/或 :reverse，例如 'alice,bob:0.5,carol:2:reverse'。",
    },
    "help_copy_start_multiplier": {
        "en": "Follower lots per master lot (a follower's :MULTIPLIER wins).",
        "zh-tw": "每一主帳戶手數對應的跟單手數（跟單帳戶的 :MULTIPLIER 優先）。",
        "zh-cn": "每一主账户手数对应的跟单手数（跟单账户的 :MULTIPLIER 优先）。",
    },
    "help_copy_start_sizing": {
        "en": "multiplier (master lots x multiplier), fixed (--fixed-lots each copy) or equity (x follower equity / "
              "master equity x multiplier).",
        "zh-tw": "multiplier（主帳戶手數 x 倍數）、fixed（每筆複製 --fixed-lots 手）或 equity（x 跟單淨值 / "
                 "主帳戶淨值 x 倍數）。",
        "zh-cn": "multiplier（主账户手数 x 倍数）、fixed（每笔复制 --fixed-lots 手）或 equity（x 跟单净值 / "
                 "主账户净值 x 倍数）。",
    },
    "help_copy_start_fixed_lots": {
        "en": "Lots of every copy with --sizing fixed.",
        "zh-tw": "--sizing fixed 時每筆複製的手數。",
        "zh-cn": "--sizing fixed 时每笔复制的手数。",
    },
    "help_copy_start_reverse": {
        "en": "Trade against the master: buy <-> sell, SL <-> TP.",
        "zh-tw": "與主帳戶反向交易：buy <-> sell、SL <-> TP。",
        "zh-cn": "与主账户反向交易：buy <-> sell、SL <-> TP。",
    },
    "help_copy_start_map": {
        "en": "Symbol map MASTER=FOLLOWER (or PROFILE:MASTER=FOLLOWER), repeatable, e.g. --map EURUSD=EURUSD.m; "
              "without one the follower profile's suffix (mas symbols suffix) applies.",
        "zh-tw": "商品對應 MASTER=FOLLOWER（或 PROFILE:MASTER=FOLLOWER），可重複，例如 --map "
                 "EURUSD=EURUSD.m；未指定時使用跟單設定檔的字尾（mas symbols suffix）。",
        "zh-cn": "品种对应 MASTER=FOLLOWER（或 PROFILE:MASTER=FOLLOWER），可重复，例如 --map "
                 "EURUSD=EURUSD.m；未指定时使用跟单配置的后缀（mas symbols suffix）。",
    },
    "help_copy_start_poll_ms": {
        "en": "How often the master is read, in milliseconds.",
        "zh-tw": "讀取主帳戶的間隔，以毫秒計。",
        "zh-cn": "读取主账户的间隔，以毫秒计。",
    },
    "help_copy_start_catch_up": {
        "en": "At a restart, copy the positions the master opened while the copier was stopped and still holds "
              "(default: copy them).",
        "zh-tw": "重新啟動時，複製跟單停止期間主帳戶開立且仍持有的部位（預設：複製）。",
        "zh-cn": "重新启动时，复制跟单停止期间主账户开立且仍持有的持仓（默认：复制）。",
    },
    "help_copy_start_copy_open": {
        "en": "At a follower's first start, also copy the positions the master holds already (default: only new "
              "ones).",
        "zh-tw": "跟單帳戶首次啟動時，也複製主帳戶已持有的部位（預設：只複製新的）。",
        "zh-cn": "跟单账户首次启动时，也复制主账户已持有的持仓（默认：只复制新的）。",
    },
    "help_copy_start_copy_sltp": {
        "en": "Copy the master's SL/TP and their changes.",
        "zh-tw": "複製主帳戶的 SL/TP 及其變更。",
        "zh-cn": "复制主账户的 SL/TP 及其变更。",
    },
    "help_copy_start_min_lot": {
        "en": "A copy below the symbol's minimum lot: raise it to the minimum, or skip it.",
        "zh-tw": "低於商品最小手數的複製：提高到最小手數，或略過。",
        "zh-cn": "低于品种最小手数的复制：提高到最小手数，或跳过。",
    },
    "help_copy_start_name": {
        "en": "The copier's name (its state file); default: the master profile.",
        "zh-tw": "跟單的名稱（其狀態檔）；預設：主帳戶設定檔。",
        "zh-cn": "跟单的名称（其状态文件）；默认：主账户配置。",
    },
    "help_cmd_copy_status": {
        "en": "What each copier copied: per follower, the mirrored positions, pending copies and recent events.",
        "zh-tw": "各跟單複製了什麼：每個跟單帳戶的已複製部位、待處理的複製與近期事件。",
        "zh-cn": "各跟单复制了什么：每个跟单账户的已复制持仓、待处理的复制与近期事件。",
    },
    "help_copy_status_name": {
        "en": "A copier's name (default: every copier).",
        "zh-tw": "跟單的名稱（預設：每個跟單）。",
        "zh-cn": "跟单的名称（默认：每个跟单）。",
    },
    "help_copy_status_as_json": {
        "en": "Print the state as JSON.",
        "zh-tw": "以 JSON 印出狀態。",
        "zh-cn": "以 JSON 打印状态。",
    },
}
