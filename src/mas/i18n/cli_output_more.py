"""More of what the ``mas`` command prints: live run status lines, the copier's events and history, the notes of a
group's split, what ``mas report`` could not restore: key -> {language: template}.

Numbers, symbols, tickets, profile names and times are values (formatted by the caller); only the sentences
around them are translated.
"""

from __future__ import annotations

CLI_OUTPUT_MORE: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- mas live (mas.live.runner, mas.app.live)
    "live_run_started": {
        "en": "live: {strategy} on {symbol} {timeframe}, profile {profile} (account {account} on {server}), "
              "risk guards: {guards}; Ctrl-C stops",
        "zh-tw": "實盤：{strategy} 交易 {symbol} {timeframe}，設定檔 {profile}（{server} 上的帳號 {account}），"
                 "風控：{guards}；按 Ctrl-C 停止",
        "zh-cn": "实盘：{strategy} 交易 {symbol} {timeframe}，配置 {profile}（{server} 上的账号 {account}），"
                 "风控：{guards}；按 Ctrl-C 停止",
    },
    "live_guards_none": {"en": "none", "zh-tw": "無", "zh-cn": "无"},
    "live_warm_up": {
        "en": "warm-up: {bars} bar(s) asked, indicators fed up to {until}; no order was sent",
        "zh-tw": "暖機：要求 {bars} 根K線，指標已餵入至 {until}；未送出任何訂單",
        "zh-cn": "预热：请求 {bars} 根K线，指标已输入至 {until}；未发送任何订单",
    },
    "live_warm_up_no_bar": {
        "en": "no bar (none completed)", "zh-tw": "無K線（尚無完成的K線）", "zh-cn": "无K线（尚无完成的K线）",
    },
    "live_status": {
        "en": "{time} UTC  {account}  bars {bars}  fills {fills}  callback errors {errors}  {last}",
        "zh-tw": "{time} UTC  {account}  K線 {bars}  成交 {fills}  回呼錯誤 {errors}  {last}",
        "zh-cn": "{time} UTC  {account}  K线 {bars}  成交 {fills}  回调错误 {errors}  {last}",
    },
    "live_status_account": {
        "en": "equity {equity:.2f} {currency}  positions {positions}  pending {pending}",
        "zh-tw": "淨值 {equity:.2f} {currency}  持倉 {positions}  掛單 {pending}",
        "zh-cn": "净值 {equity:.2f} {currency}  持仓 {positions}  挂单 {pending}",
    },
    "live_status_no_account": {
        "en": "account unavailable ({error})", "zh-tw": "無法讀取帳戶（{error}）", "zh-cn": "无法读取账户（{error}）",
    },
    "live_status_last_bar": {
        "en": "last bar {time} close {close}", "zh-tw": "最後K線 {time} 收盤 {close}",
        "zh-cn": "最后K线 {time} 收盘 {close}",
    },
    "live_status_no_bar": {"en": "no bar yet", "zh-tw": "尚無K線", "zh-cn": "尚无K线"},
    "live_status_final": {"en": "final: {line}", "zh-tw": "結束：{line}", "zh-cn": "结束：{line}"},
    "live_stopped": {
        "en": "stopped: feeds, fill poller and terminal shut down; open positions and pending orders stay on the "
              "account",
        "zh-tw": "已停止：行情、成交輪詢與終端皆已關閉；未平倉部位與掛單仍留在帳戶中",
        "zh-cn": "已停止：行情、成交轮询与终端均已关闭；未平仓持仓与挂单仍留在账户中",
    },
    "live_note_backtest_orders": {
        "en": "{strategy} sends orders with 'backtest_toggle': True, which never reach the broker; mas live sets "
              "self.backtest_toggle to False, so send 'backtest_toggle': self.backtest_toggle to trade the same file "
              "in both modes",
        "zh-tw": "{strategy} 以 'backtest_toggle': True 送出訂單，這些訂單永遠不會送到券商；mas live 會將 "
                 "self.backtest_toggle 設為 False，請改送 'backtest_toggle': self.backtest_toggle，"
                 "同一個檔案即可用於兩種模式",
        "zh-cn": "{strategy} 以 'backtest_toggle': True 发送订单，这些订单永远不会发送到券商；mas live 会将 "
                 "self.backtest_toggle 设为 False，请改为发送 'backtest_toggle': self.backtest_toggle，"
                 "同一个文件即可用于两种模式",
    },
    # ---------------------------------------------------------------- the copier (mas.live.copier)
    "copier_ev_line": {
        "en": "copy {name} -> {follower}: {text}", "zh-tw": "跟單 {name} -> {follower}：{text}",
        "zh-cn": "跟单 {name} -> {follower}：{text}",
    },
    "copier_ev_round_error": {
        "en": "copy {name}: error: {kind}: {error}", "zh-tw": "跟單 {name}：錯誤：{kind}：{error}",
        "zh-cn": "跟单 {name}：错误：{kind}：{error}",
    },
    "copier_ev_error": {"en": "error: {kind}: {error}", "zh-tw": "錯誤：{kind}：{error}",
        "zh-cn": "错误：{kind}：{error}"},
    "copier_ev_logged_in": {
        "en": "logged in (account {account} on {server})", "zh-tw": "已登入（{server} 上的帳號 {account}）",
        "zh-cn": "已登录（{server} 上的账号 {account}）",
    },
    "copier_ev_login_retry": {
        "en": "cannot log in ({error}); trying again in {seconds} s",
        "zh-tw": "無法登入（{error}）；{seconds} 秒後重試", "zh-cn": "无法登录（{error}）；{seconds} 秒后重试",
    },
    "copier_ev_login_later": {
        "en": "cannot log in ({error}); trying again while running",
        "zh-tw": "無法登入（{error}）；執行期間會再重試", "zh-cn": "无法登录（{error}）；运行期间会再重试",
    },
    "copier_ev_other_account": {
        "en": "profile {name} now logs in to account {account} on {server}, but its copies are on account "
              "{old_account} on {old_server}: nothing is copied to it (restore the profile, or run this copier "
              "under another --name)",
        "zh-tw": "設定檔 {name} 現在登入 {server} 上的帳號 {account}，但它的跟單部位在 {old_server} 上的帳號 "
                 "{old_account}：不會再複製到此帳號（請還原設定檔，或以另一個 --name 執行此跟單）",
        "zh-cn": "配置 {name} 现在登录 {server} 上的账号 {account}，但它的跟单持仓在 {old_server} 上的账号 "
                 "{old_account}：不会再复制到此账号（请还原配置，或以另一个 --name 运行此跟单）",
    },
    "copier_note_symbol_unread": {
        "en": "the follower's symbol cannot be read", "zh-tw": "無法讀取跟隨帳戶的商品",
        "zh-cn": "无法读取跟随账户的品种",
    },
    "copier_note_account_unread": {
        "en": "the follower's account cannot be read", "zh-tw": "無法讀取跟隨帳戶", "zh-cn": "无法读取跟随账户",
    },
    "copier_note_tick_value": {
        "en": "the follower's equity is in {follower} and the master's in {master}, and a tick value to compare them "
              "is missing (0)",
        "zh-tw": "跟隨帳戶的淨值以 {follower} 計、主帳戶以 {master} 計，但缺少可換算兩者的跳動點值（為 0）",
        "zh-cn": "跟随账户的净值以 {follower} 计、主账户以 {master} 计，但缺少可换算两者的跳动点值（为 0）",
    },
    "copier_note_master_equity": {
        "en": "the master's equity cannot be read", "zh-tw": "無法讀取主帳戶的淨值", "zh-cn": "无法读取主账户的净值",
    },
    "copier_note_not_offered": {
        "en": "{symbol} is not offered on {server}: map it with --map {symbol}=NAME, or set the profile's suffix "
              "(mas symbols suffix SUFFIX --profile {name})",
        "zh-tw": "{server} 不提供 {symbol}：請用 --map {symbol}=NAME 對應，或設定該設定檔的後綴"
                 "（mas symbols suffix SUFFIX --profile {name}）",
        "zh-cn": "{server} 不提供 {symbol}：请用 --map {symbol}=NAME 映射，或设置该配置的后缀"
                 "（mas symbols suffix SUFFIX --profile {name}）",
    },
    "copier_note_no_volume": {
        "en": "no volume for {volume} lots ({note})", "zh-tw": "{volume} 手無可下單手數（{note}）",
        "zh-cn": "{volume} 手无可下单手数（{note}）",
    },
    "copier_note_below_minimum": {"en": "below the minimum", "zh-tw": "低於最小手數", "zh-cn": "低于最小手数"},
    "copier_note_not_logged_in": {
        "en": "the follower was not logged in at its first start", "zh-tw": "跟隨帳戶首次啟動時未登入",
        "zh-cn": "跟随账户首次启动时未登录",
    },
    "copier_hist_not_copied": {
        "en": "{key}: not copied: {note}", "zh-tw": "{key}：未複製：{note}", "zh-cn": "{key}：未复制：{note}",
    },
    "copier_note_closed_first": {
        "en": "closed on the master before it could be copied", "zh-tw": "主帳戶在複製前已平倉",
        "zh-cn": "主账户在复制前已平仓",
    },
    "copier_note_while_stopped": {
        "en": "opened on the master while the copier was stopped (catch-up is off)",
        "zh-tw": "跟單停止期間於主帳戶開倉（未開啟補單）", "zh-cn": "跟单停止期间在主账户开仓（未开启补单）",
    },
    "copier_ev_deal_not_copied": {
        "en": "master deal #{ticket} ({symbol} {side} {volume}): not copied: {note}",
        "zh-tw": "主帳戶成交 #{ticket}（{symbol} {side} {volume}）：未複製：{note}",
        "zh-cn": "主账户成交 #{ticket}（{symbol} {side} {volume}）：未复制：{note}",
    },
    "copier_msg_positions_unread": {
        "en": "the follower's positions cannot be read ({error})", "zh-tw": "無法讀取跟隨帳戶的部位（{error}）",
        "zh-cn": "无法读取跟随账户的持仓（{error}）",
    },
    "copier_msg_order": {"en": "order #{order}", "zh-tw": "訂單 #{order}", "zh-cn": "订单 #{order}"},
    "copier_msg_already_closed": {
        "en": "already closed on the follower", "zh-tw": "跟隨帳戶上已平倉", "zh-cn": "跟随账户上已平仓",
    },
    "copier_ev_already_closed": {
        "en": "position #{position} is already closed on the follower", "zh-tw": "部位 #{position} 在跟隨帳戶上已平倉",
        "zh-cn": "持仓 #{position} 在跟随账户上已平仓",
    },
    "copier_msg_no_price": {
        "en": "no price for {symbol} ({error})", "zh-tw": "{symbol} 沒有報價（{error}）",
        "zh-cn": "{symbol} 没有报价（{error}）",
    },
    "copier_note_rejected": {
        "en": "{kind} rejected: {message}", "zh-tw": "{kind} 被拒：{message}", "zh-cn": "{kind} 被拒：{message}",
    },
    "copier_ev_rejected": {
        "en": "{kind} {side} {volume} {symbol} rejected ({message})",
        "zh-tw": "{kind} {side} {volume} {symbol} 被拒（{message}）",
        "zh-cn": "{kind} {side} {volume} {symbol} 被拒（{message}）",
    },
    "copier_ev_given_up": {
        "en": "{kind} {side} {volume} {symbol} given up after {seconds} s ({why})",
        "zh-tw": "{kind} {side} {volume} {symbol} 於 {seconds} 秒後放棄（{why}）",
        "zh-cn": "{kind} {side} {volume} {symbol} 在 {seconds} 秒后放弃（{why}）",
    },
    "copier_ev_opened": {
        "en": "opened {side} {volume} {symbol} (position #{ticket}, {cid})",
        "zh-tw": "已開倉 {side} {volume} {symbol}（部位 #{ticket}，{cid}）",
        "zh-cn": "已开仓 {side} {volume} {symbol}（持仓 #{ticket}，{cid}）",
    },
    "copier_ev_closed": {
        "en": "closed {volume} of position #{key} ({cid})", "zh-tw": "已平倉部位 #{key} 的 {volume} 手（{cid}）",
        "zh-cn": "已平仓持仓 #{key} 的 {volume} 手（{cid}）",
    },
    "copier_ev_stops_failed": {
        "en": "SL/TP {sl}/{tp} not set on master position #{key}'s copy: {problems}",
        "zh-tw": "主帳戶部位 #{key} 的跟單部位未設定 SL/TP {sl}/{tp}：{problems}",
        "zh-cn": "主账户持仓 #{key} 的跟单持仓未设置 SL/TP {sl}/{tp}：{problems}",
    },
    "copier_ev_stops_set": {
        "en": "SL/TP of master position #{key}'s copy set to {sl}/{tp}",
        "zh-tw": "主帳戶部位 #{key} 的跟單部位 SL/TP 已設為 {sl}/{tp}",
        "zh-cn": "主账户持仓 #{key} 的跟单持仓 SL/TP 已设为 {sl}/{tp}",
    },
    # ---------------------------------------------------------------- a group's split (mas.groups.allocation)
    "alloc_note_capped": {"en": "capped at {volume}", "zh-tw": "上限為 {volume}", "zh-cn": "上限为 {volume}"},
    "alloc_note_raised": {
        "en": "raised to the minimum {minimum}", "zh-tw": "提高至最小手數 {minimum}",
        "zh-cn": "提高至最小手数 {minimum}",
    },
    "alloc_note_below": {
        "en": "below the minimum {minimum}: {why}", "zh-tw": "低於最小手數 {minimum}：{why}",
        "zh-cn": "低于最小手数 {minimum}：{why}",
    },
    "alloc_note_skipped": {"en": "skipped", "zh-tw": "略過", "zh-cn": "跳过"},
    "alloc_note_not_raised": {
        "en": "not raised (the remainder is too small)", "zh-tw": "未提高（剩餘手數不足）",
        "zh-cn": "未提高（剩余手数不足）",
    },
    "alloc_note_remainder_one": {
        "en": "+ {steps} step of the remainder", "zh-tw": "+ 剩餘的 {steps} 個手數步長",
        "zh-cn": "+ 剩余的 {steps} 个手数步长",
    },
    "alloc_note_remainder": {
        "en": "+ {steps} steps of the remainder", "zh-tw": "+ 剩餘的 {steps} 個手數步長",
        "zh-cn": "+ 剩余的 {steps} 个手数步长",
    },
    # ---------------------------------------------------------------- mas report (mas.reports.saved_result)
    "saved_note_capital": {
        "en": "no valid initial capital in the settings: the first equity point ({initial:,.2f}) is used",
        "zh-tw": "設定中沒有有效的初始資金：改用第一個淨值點（{initial:,.2f}）",
        "zh-cn": "设置中没有有效的初始资金：改用第一个净值点（{initial:,.2f}）",
    },
    "saved_note_no_market": {
        "en": "the settings name no symbol and timeframe: the trade chart has no candles",
        "zh-tw": "設定中沒有商品與週期：交易圖表沒有K線", "zh-cn": "设置中没有品种与周期：交易图表没有K线",
    },
    "saved_note_settings_unread": {
        "en": "the saved settings cannot be read back ({error}): the trade chart has no candles",
        "zh-tw": "無法讀回已儲存的設定（{error}）：交易圖表沒有K線",
        "zh-cn": "无法读回已保存的设置（{error}）：交易图表没有K线",
    },
    "saved_note_no_bars": {
        "en": "no stored {timeframe} bars of {symbol} for the saved range, so the chart has no candles for it "
              "({error})",
        "zh-tw": "已儲存的區間內沒有 {symbol} 的 {timeframe} K線資料，因此圖表沒有它的K線（{error}）",
        "zh-cn": "已保存的区间内没有 {symbol} 的 {timeframe} K线数据，因此图表没有它的K线（{error}）",
    },
    "saved_note_store_changed": {
        "en": "the data store changed since the run ({stored:,} bar times stored now, {saved:,} replayed): the "
              "candles come from the current store",
        "zh-tw": "資料庫在回測後已變更（現存 {stored:,} 個K線時間，當時重播 {saved:,} 個）：K線取自目前的資料庫",
        "zh-cn": "数据库在回测后已变更（现存 {stored:,} 个K线时间，当时重播 {saved:,} 个）：K线取自当前的数据库",
    },
}
