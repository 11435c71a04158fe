"""Message catalog: key -> {language: template}. Templates use str.format fields."""

from __future__ import annotations

from mas.i18n.cli_help import CLI_HELP
from mas.i18n.cli_messages import CLI_MESSAGES
from mas.i18n.cli_output import CLI_OUTPUT
from mas.i18n.cli_output_more import CLI_OUTPUT_MORE
from mas.i18n.command_messages import COMMAND_MESSAGES
from mas.i18n.data_quality_messages import QUALITY_MESSAGES
from mas.i18n.error_messages import ERROR_MESSAGES
from mas.i18n.errors_accounts import ERRORS as ACCOUNT_ERRORS
from mas.i18n.errors_data import ERRORS as DATA_ERRORS
from mas.i18n.errors_live import ERRORS as LIVE_ERRORS
from mas.i18n.errors_parser import PARSER_ERRORS
from mas.i18n.errors_strategy import ERRORS as STRATEGY_ERRORS
from mas.i18n.errors_web import ERRORS as WEB_ERRORS

MESSAGES: dict[str, dict[str, str]] = {
    "login_bad_account": {
        "en": "login failed: account must be a whole account number, got {account!r}",
        "zh-tw": "登入失敗：帳號必須是整數帳號，收到 {account!r}",
        "zh-cn": "登录失败：账号必须是整数账号，收到 {account!r}",
    },
    "login_missing": {
        "en": "login failed: {field} is missing",
        "zh-tw": "登入失敗：缺少 {field}",
        "zh-cn": "登录失败：缺少 {field}",
    },
    "login_no_terminal": {
        "en": "login failed: {reason}. Backtests need no login; for live trading install the MT5 extra "
              "(pip install 'mas-sdk[mt5]' on Windows, 'mas-sdk[mt5linux]' elsewhere)",
        "zh-tw": "登入失敗：{reason}。回測不需要登入；實盤交易請安裝 MT5 擴充套件"
                 "（Windows：pip install 'mas-sdk[mt5]'，其他系統：'mas-sdk[mt5linux]'）",
        "zh-cn": "登录失败：{reason}。回测不需要登录；实盘交易请安装 MT5 扩展包"
                 "（Windows：pip install 'mas-sdk[mt5]'，其他系统：'mas-sdk[mt5linux]'）",
    },
    "login_unreachable": {
        "en": "login failed: {reason}. Is the terminal or server running and reachable at that address "
              "(for a paper account: is `mas sim serve` started on that port)?",
        "zh-tw": "登入失敗：{reason}。請確認終端或伺服器正在執行且可連線"
                 "（模擬帳戶：`mas sim serve` 是否已在該連接埠啟動）",
        "zh-cn": "登录失败：{reason}。请确认终端或服务器正在运行且可连接"
                 "（模拟账户：`mas sim serve` 是否已在该端口启动）",
    },
    "login_rejected": {
        "en": "login failed: the terminal refused account {account} on {server}: {reason}",
        "zh-tw": "登入失敗：終端拒絕了 {server} 上的帳號 {account}：{reason}",
        "zh-cn": "登录失败：终端拒绝了 {server} 上的账号 {account}：{reason}",
    },
    "login_ok": {
        "en": "logged in: account {account} on {server}",
        "zh-tw": "登入成功：{server} 上的帳號 {account}",
        "zh-cn": "登录成功：{server} 上的账号 {account}",
    },
    "no_broker": {
        "en": "{call}: no broker connection; call login() first (backtests do not need one)",
        "zh-tw": "{call}：尚未連線券商；請先呼叫 login()（回測不需要連線）",
        "zh-cn": "{call}：尚未连接券商；请先调用 login()（回测不需要连接）",
    },
    "nested_backtest": {
        "en": "{call}: a backtest is already running in this client (it was called from inside a receive_* "
              "callback); it would replace the running replay's account. Run the other backtest after this one "
              "returns, or on another client instance",
        "zh-tw": "{call}：此用戶端正在執行回測（於 receive_* 回呼中呼叫）；再次回測會取代執行中的模擬帳戶。"
                 "請在本次回測結束後再執行，或使用另一個用戶端實例",
        "zh-cn": "{call}：此客户端正在执行回测（在 receive_* 回调中调用）；再次回测会替换执行中的模拟账户。"
                 "请在本次回测结束后再执行，或使用另一个客户端实例",
    },
    "live_in_backtest": {
        "en": "order refused: a live order (backtest_toggle False) was sent during a backtest replay; "
              "live orders are never sent from a backtest",
        "zh-tw": "訂單被拒：回測重播期間送出了實盤訂單（backtest_toggle 為 False）；回測中絕不送出實盤訂單",
        "zh-cn": "订单被拒：回测重播期间发送了实盘订单（backtest_toggle 为 False）；回测中绝不发送实盘订单",
    },
    "order_result": {
        "en": "order {order_id}: {retcode_text} ({retcode}){detail}",
        "zh-tw": "訂單 {order_id}：{retcode_text}（{retcode}）{detail}",
        "zh-cn": "订单 {order_id}：{retcode_text}（{retcode}）{detail}",
    },
    "backtest_done": {
        "en": "backtest finished: {bars} bars of {symbols} {timeframe}, {trades} closed trades, "
              "final equity {equity:.2f} {currency}",
        "zh-tw": "回測完成：{symbols} {timeframe} 共 {bars} 根K線，{trades} 筆已平倉交易，"
                 "最終淨值 {equity:.2f} {currency}",
        "zh-cn": "回测完成：{symbols} {timeframe} 共 {bars} 根K线，{trades} 笔已平仓交易，"
                 "最终净值 {equity:.2f} {currency}",
    },
    "live_feed_unavailable": {
        "en": "{call}: live feeds need a broker connection; call login() first or set backtest_toggle True",
        "zh-tw": "{call}：即時行情需要券商連線；請先 login() 或將 backtest_toggle 設為 True",
        "zh-cn": "{call}：实时行情需要券商连接；请先 login() 或将 backtest_toggle 设为 True",
    },
    "no_report_data": {
        "en": "nothing to report yet: run a backtest (subscribe_bars with backtest_toggle True) or log in "
              "to a live account with trade history first",
        "zh-tw": "尚無可報告的資料：請先執行回測（subscribe_bars 並設 backtest_toggle 為 True）"
                 "或登入有交易紀錄的實盤帳號",
        "zh-cn": "尚无可报告的数据：请先运行回测（subscribe_bars 并设 backtest_toggle 为 True）"
                 "或登录有交易记录的实盘账号",
    },
    "margin_call": {
        "en": "margin call: margin level {level:.1f}% is at or below {limit:.0f}%",
        "zh-tw": "追繳保證金：保證金水平 {level:.1f}% 已低於或等於 {limit:.0f}%",
        "zh-cn": "追加保证金：保证金水平 {level:.1f}% 已低于或等于 {limit:.0f}%",
    },
    "data_error": {
        "en": "backtest data: {detail}",
        "zh-tw": "回測資料：{detail}",
        "zh-cn": "回测数据：{detail}",
    },
}

for _catalog in (ERROR_MESSAGES, CLI_MESSAGES, CLI_OUTPUT, COMMAND_MESSAGES, ACCOUNT_ERRORS, LIVE_ERRORS, DATA_ERRORS,
                 CLI_HELP, QUALITY_MESSAGES, STRATEGY_ERRORS, PARSER_ERRORS, WEB_ERRORS, CLI_OUTPUT_MORE):
    _twice = MESSAGES.keys() & _catalog.keys()
    if _twice:  # one key, one text: a key written in two catalogs would silently lose one of them
        raise RuntimeError(f"message keys defined twice: {sorted(_twice)}")
    MESSAGES.update(_catalog)

RETCODE_TEXT: dict[int, tuple[str, str, str]] = {
    10004: ("requote", "重新報價", "重新报价"),
    10006: ("request rejected", "請求被拒絕", "请求被拒绝"),
    10007: ("request canceled", "請求已取消", "请求已取消"),
    10008: ("order placed", "訂單已下達", "订单已下达"),
    10009: ("request completed", "請求已完成", "请求已完成"),
    10010: ("only part of the request was completed", "請求僅部分完成", "请求仅部分完成"),
    10011: ("request processing error", "請求處理錯誤", "请求处理错误"),
    10012: ("request timed out", "請求逾時", "请求超时"),
    10013: ("invalid request", "無效請求", "无效请求"),
    10014: ("invalid volume", "無效手數", "无效手数"),
    10015: ("invalid price", "無效價格", "无效价格"),
    10016: ("invalid stops", "無效止損/止盈", "无效止损/止盈"),
    10017: ("trade is disabled", "交易已停用", "交易已停用"),
    10018: ("market is closed", "市場已關閉", "市场已关闭"),
    10019: ("not enough money", "資金不足", "资金不足"),
    10020: ("prices changed", "價格已變動", "价格已变动"),
    10021: ("no quotes", "沒有報價", "没有报价"),
    10022: ("invalid expiration", "無效到期時間", "无效到期时间"),
    10023: ("order state changed", "訂單狀態已變更", "订单状态已变更"),
    10024: ("too many requests", "請求過於頻繁", "请求过于频繁"),
    10025: ("no changes in request", "請求無任何變更", "请求无任何变更"),
    10026: ("autotrading disabled by server", "伺服器停用自動交易", "服务器禁用自动交易"),
    10027: ("autotrading disabled by client", "用戶端停用自動交易", "客户端禁用自动交易"),
    10028: ("request locked for processing", "請求處理中已鎖定", "请求处理中已锁定"),
    10029: ("order or position frozen", "訂單或部位已凍結", "订单或持仓已冻结"),
    10030: ("invalid order filling type", "無效成交方式", "无效成交方式"),
    10031: ("no connection with the trade server", "與交易伺服器無連線", "与交易服务器无连接"),
    10033: ("pending orders limit reached", "掛單數量已達上限", "挂单数量已达上限"),
    10034: ("volume limit reached", "手數已達上限", "手数已达上限"),
    10035: ("invalid or prohibited order type", "無效或禁止的訂單類型", "无效或禁止的订单类型"),
    10036: ("position already closed", "部位已平倉", "持仓已平仓"),
    10038: ("close volume exceeds the position volume", "平倉手數超過部位手數", "平仓手数超过持仓手数"),
    10039: ("a close order already exists for the position", "該部位已有平倉單", "该持仓已有平仓单"),
    10040: ("open positions limit reached", "持倉數量已達上限", "持仓数量已达上限"),
    10044: ("only closing is allowed", "僅允許平倉", "仅允许平仓"),
}
